"""A minimal client of `siamwatch serve` (standard library + numpy; no SiamWatch package needed).

    client = SiamWatchClient("http://127.0.0.1:9470", run="my-run", token=open("token").read().strip(),
                             total_steps=10_000, rank=0, world_size=1)
    client.post_embeddings(step, backbone=feats.numpy(), projector=z.numpy(), loss=loss.item())
    decision = client.decision()["decision"]   # continue | early-stop | switch-to-continual | switch-to-iid

Under DDP every rank posts its own sample (rank=R, world_size=W); rank 0 asks for the decision and broadcasts
it, and every rank acts on it (see simsiam_train.py).
"""
import io
import json
import struct
import urllib.error
import urllib.parse
import urllib.request

import numpy as np


def npy_bytes(rows):
    """An (n, d) array as little-endian float32 .npy bytes (np.save)."""
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(rows, dtype="<f4"))
    return buf.getvalue()


def safetensors_bytes(tensors):
    """A dict name -> (n, d) array as safetensors bytes (F32), e.g. {"backbone": h, "projector": z}."""
    header, blobs, offset = {}, [], 0
    for name, rows in tensors.items():
        data = np.ascontiguousarray(rows, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(np.shape(rows)), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)
    return struct.pack("<Q", len(head)) + head + b"".join(blobs)


class SiamWatchError(RuntimeError):
    """The server refused a request: `status` (400, 401, 409, 413...) and its JSON `body`."""

    def __init__(self, status, body):
        super().__init__(f"siamwatch serve answered {status}: {body.get('message', body)}")
        self.status = status
        self.body = body


class SiamWatchClient:
    """Posts embedding samples of one run (one rank) and reads the run's decision."""

    def __init__(self, url, run, token=None, total_steps=1, rank=0, world_size=None, method="simsiam", timeout=30.0):
        self.url = url.rstrip("/")
        self.run = urllib.parse.quote(run, safe="")
        self.token = token
        self.total_steps = total_steps
        self.rank = rank
        self.world_size = world_size
        self.method = method
        self.timeout = timeout

    def _request(self, method, path, body=None, content_type="application/octet-stream"):
        headers = {"Content-Type": content_type}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                return json.loads(res.read().decode())
        except urllib.error.HTTPError as err:
            raw = err.read().decode(errors="replace")
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"message": raw}
            raise SiamWatchError(err.code, body) from None

    def post_embeddings(self, step, backbone=None, projector=None, loss=None, regime="iid"):
        """Posts this rank's sample of `step`: (n, d) arrays of the backbone and/or projector output."""
        tensors = {k: v for k, v in (("backbone", backbone), ("projector", projector)) if v is not None}
        query = {"step": step, "total_steps": self.total_steps, "rank": self.rank, "method": self.method, "regime": regime}
        if self.world_size is not None:
            query["world_size"] = self.world_size
        if loss is not None:
            query["loss"] = "nan" if loss != loss else repr(float(loss))
        if len(tensors) == 1:
            (output, rows), = tensors.items()
            query["output"] = output
            body, ctype = npy_bytes(rows), "application/x-npy"
        else:
            body, ctype = safetensors_bytes(tensors), "application/x-safetensors"
        path = f"/v1/runs/{self.run}/embeddings?{urllib.parse.urlencode(query)}"
        return self._request("POST", path, body, ctype)

    def decision(self):
        """The run's latest decision: {"decision", "reason", "step", "forecast": {point, low, high, level}, ...}."""
        return self._request("GET", f"/v1/runs/{self.run}/decision")
