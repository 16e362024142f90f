"""Folder mode of SiamWatch (numpy only, no network): a stand-in training loop drops embedding samples into
DIR/<run>/ for `siamwatch watch DIR` and obeys DIR/<run>/decision.json.

    npx siamwatch watch /shared/siamwatch &
    python examples/pytorch/folder_mode.py --dir /shared/siamwatch --run demo [--collapse-at 60]

File names carry the same parameters as the HTTP API, comma-separated:
    step=120,total_steps=300,rank=0,world_size=1,output=projector,loss=-0.93.npy
Each file is written under a temporary name (leading '.') and renamed, so the watcher never reads a partial file.
The "model" here is a random projection whose output spectrum collapses to rank one after --collapse-at steps;
replace `embed()` with your network's outputs on a fixed monitoring batch.
Prints one JSON line at the end: {"status": "completed"|"stopped", "steps": ..., "decision": ...}.
"""
import argparse
import json
import os
import time

import numpy as np


def drop(folder, params, rows):
    """Writes rows as .npy under a temporary name, then renames it to its final name (atomic on one filesystem)."""
    name = ",".join(f"{k}={v}" for k, v in params.items()) + ".npy"
    temp = os.path.join(folder, f".{name}.tmp")
    with open(temp, "wb") as f:
        np.save(f, np.ascontiguousarray(rows, dtype="<f4"))
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, os.path.join(folder, name))


def read_decision(folder):
    """The watcher's latest decision.json (written atomically), or None before the first check."""
    try:
        with open(os.path.join(folder, "decision.json")) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--run", default="folder-demo")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--report-every", type=int, default=10)
    ap.add_argument("--collapse-at", type=int, default=0, help="step after which the output collapses (0 = never)")
    ap.add_argument("--wait", type=float, default=20.0, help="seconds to wait for the watcher's answer to a step")
    args = ap.parse_args()

    folder = os.path.join(args.dir, args.run)
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(0)
    d = 32

    def embed(step):
        x = rng.standard_normal((256, d))
        if args.collapse_at and step > args.collapse_at:
            x[:, 1:] *= 1e-4  # everything on one direction: complete collapse
        return x

    status, decision = "completed", None
    for step in range(args.report_every, args.steps + 1, args.report_every):
        collapsed = args.collapse_at and step > args.collapse_at
        loss = -0.999 if collapsed else -0.4
        params = {"step": step, "total_steps": args.steps, "rank": 0, "world_size": 1, "output": "projector", "loss": loss}
        drop(folder, params, embed(step))
        if step >= args.steps:
            break
        deadline = time.time() + args.wait
        while time.time() < deadline:  # wait until the watcher has checked this step
            decision = read_decision(folder)
            if decision and decision.get("checks", 0) >= step // args.report_every:
                break
            time.sleep(0.05)
        if decision and decision["decision"] == "early-stop":
            status = "stopped"
            break
    print(json.dumps({"status": status, "steps": step, "decision": decision and decision["decision"],
                      "reason": decision and decision["reason"]}))


if __name__ == "__main__":
    main()
