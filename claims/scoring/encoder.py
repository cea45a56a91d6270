"""A numpy-only BERT sentence encoder (all-MiniLM-L6-v2 layout) with a pure-Python WordPiece.

No torch, no onnxruntime, no tokenizers: the uncased BERT tokenizer and the transformer forward
pass are re-implemented here and checked against the reference implementations by
claims.scoring.train (and tests/scoring). Weights come from an npz written by
`pack_weights` (fp16 storage, fp32 compute).
"""

from __future__ import annotations

import json
import struct
import unicodedata
from pathlib import Path

import numpy as np

MAX_TOKENS = 128  # the sentence-transformers setting for all-MiniLM-L6-v2 (tokenizer.json)
N_HEADS = 12
LN_EPS = 1e-12


# ---------------------------------------------------------------- tokenizer (BertTokenizer, uncased)


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def _basic_tokens(text: str) -> list[str]:
    """BertNormalizer (clean, CJK split, lowercase + strip accents) then BertPreTokenizer."""
    out: list[str] = []
    buf: list[str] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD:
            continue
        cat = unicodedata.category(ch)
        if cat == "Mn":
            continue  # accent stripped
        if ch in " \t\n\r" or cat == "Zs":
            if buf:
                out.append("".join(buf))
                buf = []
            continue
        if cat in ("Cc", "Cf"):
            continue
        if _is_punct(ch) or _is_cjk(cp):
            if buf:
                out.append("".join(buf))
                buf = []
            out.append(ch)
            continue
        buf.append(ch)
    if buf:
        out.append("".join(buf))
    return out


class WordPiece:
    """Greedy longest-match-first WordPiece over a BERT vocab (list of tokens, index = id)."""

    def __init__(self, vocab: list[str]) -> None:
        self.ids = {t: i for i, t in enumerate(vocab)}
        self.unk = self.ids["[UNK]"]
        self.cls = self.ids["[CLS]"]
        self.sep = self.ids["[SEP]"]
        self._cache: dict[str, list[int]] = {}

    def _word(self, word: str) -> list[int]:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        if len(word) > 100:
            pieces = [self.unk]
        else:
            pieces = []
            start = 0
            while start < len(word):
                end = len(word)
                cur = None
                while start < end:
                    sub = word[start:end] if start == 0 else "##" + word[start:end]
                    cur = self.ids.get(sub)
                    if cur is not None:
                        break
                    end -= 1
                if cur is None:
                    pieces = [self.unk]
                    break
                pieces.append(cur)
                start = end
        if len(self._cache) < 200_000:
            self._cache[word] = pieces
        return pieces

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """[CLS] pieces [SEP], truncated to max_tokens."""
        ids = [self.cls]
        for word in _basic_tokens(text):
            ids.extend(self._word(word))
            if len(ids) >= max_tokens - 1:
                break
        ids = ids[: max_tokens - 1]
        ids.append(self.sep)
        return ids


# ---------------------------------------------------------------- weights


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Minimal safetensors reader (F32/F16/I64 tensors) into numpy arrays."""
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    raw = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        lo, hi = meta["data_offsets"]
        arr = np.frombuffer(raw[base + lo : base + hi], dtype=dtypes[meta["dtype"]])
        out[name] = arr.reshape(meta["shape"])
    return out


def pack_weights(model_dir: Path, out: Path) -> None:
    """Convert a HF BERT folder (model.safetensors + vocab.txt) to the compact npz used here.

    Matrices are stored as int8 with one float32 scale per row (symmetric), vectors as float32:
    a quarter of the fp32 size, and the pooled features move by well under 1%.
    """
    st = read_safetensors(Path(model_dir) / "model.safetensors")
    vocab = (Path(model_dir) / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if vocab and vocab[-1] == "":
        vocab.pop()
    arrays: dict[str, np.ndarray] = {}
    for name, arr in st.items():
        if arr.dtype != np.float32:
            continue
        if arr.ndim == 2 and arr.shape[0] * arr.shape[1] > 10_000:
            scale = np.abs(arr).max(axis=1, keepdims=True) / 127.0
            scale[scale == 0] = 1.0
            arrays[name + ":q"] = np.round(arr / scale).astype(np.int8)
            arrays[name + ":s"] = scale.astype(np.float32)
        else:
            arrays[name] = arr
    arrays["vocab"] = np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(out, **arrays)


def load_packed(path: Path | str) -> tuple[dict[str, np.ndarray], list[str]]:
    """Weights (dequantised to float32) and vocab from an npz written by pack_weights."""
    weights: dict[str, np.ndarray] = {}
    with np.load(Path(path)) as z:
        vocab = z["vocab"].tobytes().decode("utf-8").split("\n")
        for key in z.files:
            if key == "vocab" or key.endswith(":s"):
                continue
            if key.endswith(":q"):
                name = key[:-2]
                q = z[key].astype(np.float32)
                q *= z[name + ":s"]
                weights[name] = q
            else:
                weights[key] = z[key]
    return weights, vocab


# ---------------------------------------------------------------- forward pass


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): exact-GELU to float32 precision.
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return s * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    xc = x - mu
    var = (xc * xc).mean(-1, keepdims=True)
    return xc / np.sqrt(var + LN_EPS) * g + b


class MiniLMEncoder:
    """Mean-pooled, L2-normalised sentence embeddings (sentence-transformers semantics)."""

    def __init__(self, weights: dict[str, np.ndarray], vocab: list[str]) -> None:
        f = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.tok = WordPiece(vocab)
        self.word = f["embeddings.word_embeddings.weight"]
        self.pos = f["embeddings.position_embeddings.weight"]
        self.type0 = f["embeddings.token_type_embeddings.weight"][0]
        self.ln0 = (f["embeddings.LayerNorm.weight"], f["embeddings.LayerNorm.bias"])
        self.layers = []
        i = 0
        while f"encoder.layer.{i}.attention.self.query.weight" in f:
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate(
                [f[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]
            ).T.copy()
            qkv_b = np.concatenate(
                [f[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]
            )
            self.layers.append(
                (
                    qkv_w,
                    qkv_b,
                    f[p + "attention.output.dense.weight"].T.copy(),
                    f[p + "attention.output.dense.bias"],
                    f[p + "attention.output.LayerNorm.weight"],
                    f[p + "attention.output.LayerNorm.bias"],
                    f[p + "intermediate.dense.weight"].T.copy(),
                    f[p + "intermediate.dense.bias"],
                    f[p + "output.dense.weight"].T.copy(),
                    f[p + "output.dense.bias"],
                    f[p + "output.LayerNorm.weight"],
                    f[p + "output.LayerNorm.bias"],
                )
            )
            i += 1
        self.dim = self.word.shape[1]

    @classmethod
    def from_npz(cls, path: Path | str) -> MiniLMEncoder:
        weights, vocab = load_packed(path)
        return cls(weights, vocab)

    @classmethod
    def from_hf_dir(cls, model_dir: Path | str) -> MiniLMEncoder:
        d = Path(model_dir)
        vocab = (d / "vocab.txt").read_text(encoding="utf-8").split("\n")
        if vocab and vocab[-1] == "":
            vocab.pop()
        return cls(read_safetensors(d / "model.safetensors"), vocab)

    def _forward(
        self, ids: list[list[int]], keep: list[np.ndarray] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Token states for a batch of id lists (right-padded): (B, T, H) and mask (B, T).

        When keep is a list, the input of every layer (embeddings, then layers 1..L-1) is appended.
        """
        b = len(ids)
        t = max(len(x) for x in ids)
        arr = np.zeros((b, t), dtype=np.int64)
        mask = np.zeros((b, t), dtype=np.float32)
        for i, x in enumerate(ids):
            arr[i, : len(x)] = x
            mask[i, : len(x)] = 1.0
        h = self.word[arr] + self.pos[:t] + self.type0
        h = _layer_norm(h, *self.ln0)
        nh = N_HEADS
        hd = self.dim // nh
        scale = np.float32(1.0 / np.sqrt(hd))
        bias = ((1.0 - mask) * np.float32(-1e4))[:, None, None, :]
        for qkv_w, qkv_b, o_w, o_b, g1, b1, i_w, i_b, f_w, f_b, g2, b2 in self.layers:
            if keep is not None:
                keep.append(h)
            qkv = h @ qkv_w + qkv_b  # (B, T, 3H)
            qkv = qkv.reshape(b, t, 3, nh, hd).transpose(2, 0, 3, 1, 4)  # (3, B, nh, T, hd)
            q, k, v = qkv[0], qkv[1], qkv[2]
            att = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            att = att - att.max(-1, keepdims=True)
            np.exp(att, out=att)
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b, t, self.dim)
            h = _layer_norm(ctx @ o_w + o_b + h, g1, b1)
            inter = _gelu(h @ i_w + i_b)
            h = _layer_norm(inter @ f_w + f_b + h, g2, b2)
        return h, mask

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """(N, 384) float32 unit vectors. Sentences are batched by length to limit padding."""
        enc = [self.tok.encode(t) for t in texts]
        order = sorted(range(len(enc)), key=lambda i: len(enc[i]))
        out = np.zeros((len(enc), self.dim), dtype=np.float32)
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            h, mask = self._forward([enc[i] for i in idx])
            pooled = (h * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
            norm = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.maximum(norm, 1e-12)
        return out

    def layer_pools(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """(N, L+1, H) masked mean of every layer's token states (embeddings first), unnormalised."""
        enc = [self.tok.encode(t) for t in texts]
        order = sorted(range(len(enc)), key=lambda i: len(enc[i]))
        out = np.zeros((len(enc), len(self.layers) + 1, self.dim), dtype=np.float32)
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            keep: list[np.ndarray] = []
            h, mask = self._forward([enc[i] for i in idx], keep)
            keep.append(h)
            m = mask[:, :, None] / np.maximum(mask.sum(1), 1e-9)[:, None, None]
            out[idx] = np.stack([(x * m).sum(1) for x in keep], axis=1)
        return out
