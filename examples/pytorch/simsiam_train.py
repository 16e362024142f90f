"""A small SimSiam run in PyTorch (CPU) that reports to `siamwatch serve` and obeys its decisions.

    npx siamwatch serve --port 9470 --token-file token &
    python examples/pytorch/simsiam_train.py --url http://127.0.0.1:9470 --token-file token --run demo
    python examples/pytorch/simsiam_train.py ... --no-stop-gradient     # collapses: the monitor stops it

Data: synthetic 8x8 "digits" made here (8 random prototypes + noise); views: random shift, noise and
contrast. Model: a tiny CNN backbone, SimSiam's projector and predictor (Chen & He, CVPR 2021). Every
`--report-every` steps each rank embeds a fixed monitoring batch and posts backbone and projector outputs
with its loss; then rank 0 asks for the decision, broadcasts it, and every rank acts on it:
  early-stop            -> leave the loop (save your checkpoint here)
  switch-to-continual   -> stream the data class-chunk by class-chunk (Li, Efros & Pathak 2022)
  switch-to-iid         -> back to shuffled batches
Runs under torchrun (gloo) too: each rank posts its own sample with rank=R and world_size=W.
Prints one JSON line at the end: {"status": "completed"|"stopped", "steps": ..., "decisions": [...]}.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from siamwatch_client import SiamWatchClient  # noqa: E402


def make_data(n, classes, seed):
    """n 8x8 images of `classes` smooth random prototypes plus noise, with their labels."""
    g = torch.Generator().manual_seed(seed)
    protos = F.avg_pool2d(torch.randn(classes, 1, 12, 12, generator=g), 3, 1)[:, :, :8, :8] * 3
    labels = torch.randint(0, classes, (n,), generator=g)
    images = protos[labels] + 0.3 * torch.randn(n, 1, 8, 8, generator=g)
    return images, labels


def augment(x):
    """A random shift (roll by -1..1 pixel), gaussian noise and a random contrast per image."""
    shift = [int(s) for s in torch.randint(-1, 2, (2,))]
    x = torch.roll(x, shifts=shift, dims=(2, 3))
    contrast = 0.6 + 0.8 * torch.rand(x.shape[0], 1, 1, 1)
    return x * contrast + 0.4 * torch.randn_like(x)


class SimSiam(nn.Module):
    def __init__(self, dim=64, pred_dim=16):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        )
        self.projector = nn.Sequential(
            nn.Linear(32, dim), nn.BatchNorm1d(dim), nn.ReLU(),
            nn.Linear(dim, dim), nn.BatchNorm1d(dim, affine=False),
        )
        self.predictor = nn.Sequential(nn.Linear(dim, pred_dim), nn.BatchNorm1d(pred_dim), nn.ReLU(), nn.Linear(pred_dim, dim))

    def forward(self, x):
        h = self.backbone(x)
        z = self.projector(h)
        return h, z, self.predictor(z)


def simsiam_loss(p1, p2, z1, z2, stop_gradient):
    """Negative cosine similarity, symmetrised; without stop-gradient SimSiam collapses (Chen & He, Table 1)."""
    t1, t2 = (z1.detach(), z2.detach()) if stop_gradient else (z1, z2)
    return -(F.cosine_similarity(p1, t2, dim=-1).mean() + F.cosine_similarity(p2, t1, dim=-1).mean()) / 2


def batches(n, batch, regime, labels, gen):
    """Index batches of one pass: shuffled (iid) or class-chunk after class-chunk (continual)."""
    if regime == "continual":
        order = torch.argsort(labels * n + torch.randperm(n, generator=gen))
    else:
        order = torch.randperm(n, generator=gen)
    for i in range(0, n - batch + 1, batch):
        yield order[i:i + batch]


def decide(client, rank, distributed):
    """DDP pattern: rank 0 asks the server, broadcasts the answer, every rank acts on it."""
    answer = [client.decision() if rank == 0 else None]
    if distributed:
        dist.broadcast_object_list(answer, src=0)
    return answer[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:9470")
    ap.add_argument("--token-file")
    ap.add_argument("--run", "--run-name", dest="run", default="pytorch-simsiam", help="run name (use --run-name under torchrun)")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--report-every", type=int, default=10)
    ap.add_argument("--monitor-batch", type=int, default=256)
    ap.add_argument("--no-stop-gradient", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1, help="torch threads per rank (1 is fastest for this tiny model)")
    args = ap.parse_args()

    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    if distributed:
        dist.init_process_group("gloo")
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1
    torch.manual_seed(args.seed + rank)
    torch.set_num_threads(args.threads)
    token = open(args.token_file).read().strip() if args.token_file else os.environ.get("SIAMWATCH_TOKEN")
    client = SiamWatchClient(args.url, args.run, token=token, total_steps=args.steps, rank=rank, world_size=world)

    images, labels = make_data(4096, 8, seed=1234)
    shard = torch.arange(rank, len(images), world)  # each rank trains on its own shard
    images, labels = images[shard], labels[shard]
    monitor_x = images[: args.monitor_batch]  # fixed monitoring batch, embedded in eval mode
    model = SimSiam()
    if distributed:
        model = nn.parallel.DistributedDataParallel(model)
    net = model.module if distributed else model
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(args.seed + 100 * rank)

    regime, step, status, decisions, losses = "iid", 0, "completed", [], []
    started = time.time()
    while step < args.steps and status == "completed":
        for idx in batches(len(images), args.batch_size, regime, labels, gen):
            x = images[idx]
            _, z1, p1 = model(augment(x))
            _, z2, p2 = model(augment(x))
            loss = simsiam_loss(p1, p2, z1, z2, not args.no_stop_gradient)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            losses.append(loss.item())
            if step % args.report_every == 0 or step == args.steps:
                net.eval()
                with torch.no_grad():
                    h, z, _ = net(monitor_x)
                net.train()
                client.post_embeddings(step, backbone=h.numpy(), projector=z.numpy(), loss=float(np.mean(losses[-args.report_every:])), regime=regime)
                if step >= args.steps:
                    break  # the run is over: nothing left to decide
                answer = decide(client, rank, distributed)
                kind = answer["decision"]
                if kind != "continue" and (not decisions or decisions[-1]["step"] != answer["step"]):
                    decisions.append({"step": answer["step"], "decision": kind, "reason": answer["reason"]})
                if kind == "early-stop":
                    status = "stopped"  # a real loop saves its checkpoint here
                    break
                if kind == "switch-to-continual" and regime != "continual":
                    regime = "continual"
                    break  # restart the pass in the new order
                if kind == "switch-to-iid" and regime != "iid":
                    regime = "iid"
                    break
            if step >= args.steps:
                break
    if rank == 0:
        print(json.dumps({"status": status, "steps": step, "totalSteps": args.steps, "finalLoss": losses[-1],
                          "regime": regime, "decisions": decisions, "seconds": round(time.time() - started, 1)}))
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
