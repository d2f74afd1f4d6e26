"""PyTorch's batched exact top-N, for `npm run bench:serve -- --reference`
(scripts/bench-serve.ts, docs/performance.md#retrieval).

It reads the item vectors [n x d] and the queries [m x d] the project generated (float32,
row-major; scripts/bench-serve.ts writes them), then scores the queries in batches of B as one
matrix product against every item (scores = Q @ X^T) and keeps each row's top N with
`torch.topk` (sorted, largest first) -- the usual way to serve exact top-N in PyTorch. With
`--reps R` it repeats the whole pass R times (after one pass of warm-up) and prints one JSON line:
ms per query of each pass, and the ids of the first query's top N for a check of agreement.

Usage: python3 topn.py FILE [--n 500] [--batch 64] [--reps 1] [--threads 1]

FILE: a little-endian uint32 header length, a JSON header {"n", "d", "m"}, then n*d float32
item values and m*d float32 query values.
"""

import argparse
import json
import struct
import time

import numpy as np
import torch


def read(path):
    with open(path, "rb") as f:
        (size,) = struct.unpack("<I", f.read(4))
        head = json.loads(f.read(size))
        data = np.frombuffer(f.read(), dtype=np.float32)
    n, d, m = head["n"], head["d"], head["m"]
    items = torch.from_numpy(data[: n * d].reshape(n, d).copy())
    queries = torch.from_numpy(data[n * d : n * d + m * d].reshape(m, d).copy())
    return items, queries


def top_n(items, queries, n, batch):
    """Top n ids of every query, batch by batch: one product and one topk per batch."""
    out = []
    with torch.no_grad():
        for start in range(0, queries.shape[0], batch):
            scores = queries[start : start + batch] @ items.T
            out.append(torch.topk(scores, n, dim=1, largest=True, sorted=True).indices)
    return torch.cat(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--reps", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    items, queries = read(a.file)
    m = queries.shape[0]
    top_n(items, queries[: min(m, a.batch)], a.n, a.batch)  # warm-up
    ms = []
    ids = None
    for _ in range(a.reps):
        t0 = time.perf_counter()
        ids = top_n(items, queries, a.n, a.batch)
        ms.append((time.perf_counter() - t0) * 1000 / m)
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "n": items.shape[0],
                "d": items.shape[1],
                "queries": m,
                "topN": a.n,
                "batch": a.batch,
                "msPerQuery": ms,
                "firstIds": ids[0].tolist(),
            }
        )
    )


if __name__ == "__main__":
    main()
