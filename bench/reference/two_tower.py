"""A PyTorch CPU twin of the project's candidate-generation step, for `npm run bench:train --
--reference` (scripts/bench-train-reference.ts, docs/performance.md#training).

It reads the batches the project itself built (scripts/bench-train-reference.ts writes them):
per batch the watch bag and the search bag (ids and CSR offsets), region and device ids, the six
dense inputs and the labels; and the corpus's sampling distribution q. The model has the same
shape as the project's default candidate model: mean-pooled video (d) and search (16)
embeddings, region and device embeddings (4 each), the dense inputs, one linear layer to d
(depth 0), output video vectors and biases; sampled softmax over K negatives drawn from q
(shared by the batch), logQ-corrected, accidental hits masked, the label prepended; Adam with
lazy sparse updates (SparseAdam for the embedding tables, Adam for the layer). Prints one JSON
line: the median, 10th and 90th percentile of ms per step after warm-up.

Usage: python3 two_tower.py FILE [--warmup 10] [--threads N]
"""

import argparse
import json
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F


def read(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<I", f.read(4))
        head = json.loads(f.read(n))
        data = np.frombuffer(f.read(), dtype=np.uint8)
    arrays, at = {}, 0
    for name, dtype, length in head["arrays"]:
        nbytes = length * 4
        arrays[name] = data[at : at + nbytes].view(np.int32 if dtype == "i32" else np.float32)
        at += nbytes
    return head, arrays


class TwoTower(torch.nn.Module):
    def __init__(self, h):
        super().__init__()
        d, n = h["d"], h["videos"]
        self.watch = torch.nn.EmbeddingBag(n, d, mode="mean", sparse=True)
        self.search = torch.nn.EmbeddingBag(h["searchTokens"], 16, mode="mean", sparse=True)
        self.region = torch.nn.Embedding(h["regions"], 4, sparse=True)
        self.device = torch.nn.Embedding(h["devices"], 4, sparse=True)
        self.layer = torch.nn.Linear(d + 16 + 4 + 4 + h["dense"], d)
        self.out = torch.nn.Embedding(n, d, sparse=True)
        self.bias = torch.nn.Embedding(n, 1, sparse=True)
        for t in (self.watch, self.search, self.region, self.device, self.out):
            torch.nn.init.uniform_(t.weight, -0.05, 0.05)
        torch.nn.init.zeros_(self.bias.weight)

    def forward(self, b):
        x = torch.cat(
            [
                self.watch(b["watch"], b["watchOffsets"]),
                self.search(b["search"], b["searchOffsets"]),
                self.region(b["region"]),
                self.device(b["device"]),
                b["dense"],
            ],
            1,
        )
        return self.layer(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    h, a = read(args.file)
    B, K, steps = h["batch"], h["negatives"], h["steps"]
    q = torch.from_numpy(a["q"].astype(np.float64))
    log_q = torch.log(q).float()
    batches = []
    for s in range(steps):
        t = lambda name: torch.from_numpy(a[f"{name}{s}"].astype(np.int64))
        batches.append(
            {
                "watch": t("watch"),
                "watchOffsets": t("watchOffsets")[:-1],
                "search": t("search"),
                "searchOffsets": t("searchOffsets")[:-1],
                "region": t("region"),
                "device": t("device"),
                "dense": torch.from_numpy(a[f"dense{s}"].reshape(B, h["dense"]).copy()),
                "labels": t("labels"),
            }
        )
    model = TwoTower(h)
    sparse = [p for n, p in model.named_parameters() if not n.startswith("layer")]
    dense = list(model.layer.parameters())
    opt_sparse = torch.optim.SparseAdam(sparse, lr=h["learningRate"])
    opt_dense = torch.optim.Adam(dense, lr=h["learningRate"])
    times = []
    for s, b in enumerate(batches):
        t0 = time.perf_counter()
        neg = torch.multinomial(q, K, replacement=True)
        u = model(b)
        labels = b["labels"]
        w = model.out(neg)  # [K, d]
        z = u @ w.T + model.bias(neg).squeeze(1) - log_q[neg]
        z = z.masked_fill(labels.unsqueeze(1) == neg.unsqueeze(0), -1e9)  # accidental hits
        zy = (u * model.out(labels)).sum(1) + model.bias(labels).squeeze(1) - log_q[labels]
        logits = torch.cat([zy.unsqueeze(1), z], 1)
        loss = F.cross_entropy(logits, torch.zeros(B, dtype=torch.long))
        opt_sparse.zero_grad()
        opt_dense.zero_grad()
        loss.backward()
        opt_sparse.step()
        opt_dense.step()
        if s >= args.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    pick = lambda f: round(times[min(len(times) - 1, int(f * len(times)))], 2)
    print(
        json.dumps(
            {
                "runtime": f"torch {torch.__version__}",
                "threads": torch.get_num_threads(),
                "msPerStep": pick(0.5),
                "p10": pick(0.1),
                "p90": pick(0.9),
                "steps": len(times),
                "loss": round(float(loss), 4),
            }
        )
    )


if __name__ == "__main__":
    main()
