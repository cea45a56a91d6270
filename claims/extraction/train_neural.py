"""Train the neural stacked cue pass (``tagger.NeuralCuePass``) and add it to a model file.

Usage (needs torch, which the project venv does not have; see MODEL.md)::

    python -m claims.extraction.train_neural TRAIN.jsonl --base BASE.npz --out OUT.npz \
        [--replace-linear] [--lam 0.5] [--dim 48] [--epochs 8] [--seed 0] [--glove VECTORS.npz]

``BASE.npz`` is the file ``train.py`` wrote from the same TRAIN.jsonl (its pass 1, linear
stacked pass and source model are kept as they are). Pass 1 is re-fitted on K folds exactly as
``train.py`` does (same folds, same settings, so the same out-of-fold scores the linear pass
learned from); the CNN learns from those out-of-fold scores a correction of pass 1 (with
``--replace-linear``) or, by default, of pass 1 plus the linear pass (refitted per fold too, so
that its outputs are out-of-fold as well). One article in ten is held out of the CNN's training
to pick the epoch. Seeds are fixed; torch runs on one thread. About 1.5 min per 700 articles
(2.5 min with another job on the second core). Held-out results: MODEL.md, tenth round.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from . import tagger
from .tagger import Model, _score, neural_dense, neural_ids, pack_weights, stack_features
from .train import fit, prepare, read


def _out_of_fold(
    xs, ys, fold, rows: int, fit_args: tuple, what: str, base=None, score_xs=None
) -> list:
    """Each article's scores by a model fitted on the other folds (``base``: per-article
    scores the model corrects, as train.py's residual pass; ``score_xs``: the features the
    held-out articles are scored on when they are not the ones fitted on)."""
    out: list = [None] * len(xs)
    for f in range(int(fold.max()) + 1):
        tr = np.flatnonzero(fold != f)
        print(f"{what} fold {f + 1}/{fold.max() + 1}", flush=True)
        w = fit(
            np.concatenate([xs[i] for i in tr]),
            np.concatenate([ys[i] for i in tr]),
            rows,
            *fit_args,
            base=None if base is None else np.concatenate([base[i] for i in tr]),
        ).astype(np.float32)
        packed = pack_weights(w)
        for i in np.flatnonzero(fold == f):
            out[i] = _score(packed, (xs if score_xs is None else score_xs)[i])
    return out


def oof_cue_scores(model: Model, data, feats, folds: int, fit_args: tuple, linear: bool) -> list:
    """Per article, its out-of-fold pass-1 cue scores (plus the linear pass when ``linear``),
    refitted on ``folds`` folds exactly as train.py does; ``feats`` are the articles'
    ``base_features``."""
    off = feats[0][1]
    fold = np.arange(len(data)) % folds
    ys = [d[3] for d in data]
    scores = _out_of_fold([f[0] for f in feats], ys, fold, off, fit_args, "pass-1")
    if linear and model.w_cue2 is not None:
        # The linear pass must be out-of-fold too: the file's own was fitted on these very
        # out-of-fold scores, and in-sample it looks far better than it is (held-out log loss
        # 0.091 instead of about 0.103). Refit it per fold, as train.py fits it (residual).
        cols = [
            stack_features(feats[i][0], off, feats[i][2], data[i][2], scores[i], False)
            for i in range(len(data))
        ]
        s2 = _out_of_fold(
            [c[0] for c in cols], ys, fold, cols[0][1], fit_args, "linear pass", base=scores
        )
        scores = [s + model.stack_lambda * d for s, d in zip(scores, s2, strict=True)]
    return scores


def oof_inputs(model: Model, data, folds: int, epochs: int, lr: float, l2: float, linear: bool):
    """Per article: (word, suffix, shape ids, dense inputs, base scores, gold cue labels), with
    the base scores the out-of-fold pass 1 (plus the linear pass when ``linear``)."""
    feats = [model.base_features(toks, iq) for _t, toks, iq, *_ in data]
    scores = oof_cue_scores(model, data, feats, folds, (epochs, lr, l2), linear)
    out = []
    for i, (_t, _toks, _iq, yc, *_rest) in enumerate(data):
        base, _, aux = feats[i]
        word, suf, shp = neural_ids(model, base)
        dense = neural_dense(aux.columns, scores[i])
        out.append((word, suf, shp, dense, scores[i].astype(np.float32), aux.sent, yc, aux.glove))
    return out


def train_cnn(arts, nv, ns, nh, args, prefix: str = "nn_", glove=None):
    """Train the CNN on ``arts`` (per article: word, suffix and shape ids, dense inputs, the
    scores it corrects, sentence ids, gold labels, pretrained-vector rows) and return its
    weights as model-file arrays named with ``prefix`` (``nn_`` the cue pass, ``ns_`` the
    source pass); the dense width is the inputs'. ``glove``: frozen pretrained vectors (row 0
    none) the CNN reads beside its own embeddings."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    dil = [int(d) for d in args.dilations.split(",")]
    dim = args.dim
    n_dense = arts[0][3].shape[1]

    class CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.ew = nn.Embedding(nv, args.word_dim)
            self.es = nn.Embedding(ns, 16)
            self.eh = nn.Embedding(nh, 8)
            self.eg = None
            gdim = 0
            if glove is not None:
                self.eg = nn.Embedding.from_pretrained(torch.from_numpy(glove), freeze=True)
                gdim = glove.shape[1]
            self.inp = nn.Linear(args.word_dim + 16 + 8 + gdim + n_dense, dim)
            self.convs = nn.ModuleList(nn.Conv1d(dim, dim, 3, dilation=d, padding=d) for d in dil)
            self.out = nn.Linear(2 * dim, 3)
            nn.init.zeros_(self.out.weight)  # start as the identity correction
            nn.init.zeros_(self.out.bias)
            self.drop = nn.Dropout(args.dropout)

        def forward(self, w, s, h, g, dense, mask, seg, nseg):
            parts = [self.ew(w), self.es(s), self.eh(h), dense]
            if self.eg is not None:
                parts.insert(3, self.eg(g))
            x = torch.cat(parts, dim=1)
            x = self.drop(x)
            z = F.relu(self.inp(x)) * mask
            for conv in self.convs:
                c = conv(z.t().unsqueeze(0)).squeeze(0).t()
                z = (z + F.relu(c)) * mask
            z = self.drop(z)
            smax = torch.full((nseg, dim), -1e4).scatter_reduce(
                0, seg.unsqueeze(1).expand(-1, dim), z, "amax", include_self=True
            )
            return self.out(torch.cat([z, smax[seg]], dim=1))

    gap = max(dil) + 1  # zero rows between articles: conv padding as at run time

    def pack(idx, train):
        ws, ss, hs, gs, ds, bs, ms, segs, ys = [], [], [], [], [], [], [], [], []
        nseg = 0
        for i in idx:
            word, suf, shp, dense, sc, sent, y, g = arts[i]
            n = len(word)
            if train and args.word_drop:
                word = np.where(rng.random(n) < args.word_drop, 1, word)
            seg = np.cumsum(np.r_[True, sent[1:] != sent[:-1]]) - 1 + nseg
            nseg = int(seg[-1]) + 1
            for lst, a, padv in (
                (ws, word, 0),
                (ss, suf, 0),
                (hs, shp, 0),
                (gs, g, 0),
                (ds, dense, 0.0),
                (bs, sc, 0.0),
                (ys, y, -100),
            ):
                lst.append(a)
                lst.append(np.full((gap, *a.shape[1:]), padv, dtype=a.dtype))
            ms += [np.ones(n, np.float32), np.zeros(gap, np.float32)]
            segs += [seg, np.full(gap, nseg, dtype=np.int64)]
            nseg += 1

        def cat(lst, dt):
            return torch.from_numpy(np.concatenate(lst).astype(dt))

        return (
            cat(ws, np.int64),
            cat(ss, np.int64),
            cat(hs, np.int64),
            cat(gs, np.int64),
            cat(ds, np.float32),
            cat(ms, np.float32).unsqueeze(1),
            cat(segs, np.int64),
            nseg,
            cat(bs, np.float32),
            cat(ys, np.int64),
        )

    order = rng.permutation(len(arts))
    n_val = max(1, len(arts) // 10)
    val, tr = order[:n_val], order[n_val:]
    vb = pack(val, False)
    net = CNN()
    opt = torch.optim.Adam(net.parameters(), lr=args.lr, weight_decay=0.0)
    best, best_state, best_ep = None, None, 0
    with torch.no_grad():
        v0 = F.cross_entropy(vb[8], vb[9], ignore_index=-100).item()
    print(f"  held-out log loss of the scores it corrects: {v0:.4f}", flush=True)
    for ep in range(args.epochs):
        net.train()
        perm = rng.permutation(tr)
        tot, cnt = 0.0, 0
        for b0 in range(0, len(perm), args.batch):
            w, s, h, g, d, m, seg, nseg, base, y = pack(perm[b0 : b0 + args.batch], True)
            logits = base + net(w, s, h, g, d, m, seg, nseg)
            loss = F.cross_entropy(logits, y, ignore_index=-100)
            reg = args.emb_l2 * net.ew.weight.pow(2).sum()
            opt.zero_grad()
            (loss + reg).backward()
            opt.step()
            tot += loss.item()
            cnt += 1
        net.eval()
        with torch.no_grad():
            w, s, h, g, d, m, seg, nseg, base, y = vb
            vl = F.cross_entropy(base + net(w, s, h, g, d, m, seg, nseg), y, ignore_index=-100)
            vl = vl.item()
        print(f"  epoch {ep + 1}: train {tot / cnt:.4f} held-out {vl:.4f}", flush=True)
        if best is None or vl < best:
            best, best_ep = vl, ep + 1
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
    print(f"  best epoch {best_ep}: {best:.4f}")
    sd = {k: v.numpy() for k, v in best_state.items()}
    p = prefix
    out = {
        p + "emb_word": sd["ew.weight"],
        p + "emb_suf": sd["es.weight"],
        p + "emb_shape": sd["eh.weight"],
        p + "w_in": sd["inp.weight"].T,
        p + "b_in": sd["inp.bias"],
        p + "w_out": sd["out.weight"].T,
        p + "b_out": sd["out.bias"],
        p + "dilations": np.array(dil),
    }
    for i in range(len(dil)):
        # torch Conv1d weight (out, in, k) -> (k, in, out) for h @ w[k]
        out[f"{p}w_conv{i}"] = sd[f"convs.{i}.weight"].transpose(2, 1, 0)
        out[f"{p}b_conv{i}"] = sd[f"convs.{i}.bias"]
    # The numpy forward pass (run time) must reproduce torch's on a held-out article.
    net.load_state_dict(best_state)
    net.eval()
    word, suf, shp, dense, _sc, sent, _y, gl = arts[val[0]]
    with torch.no_grad():
        w, s, h, g, d, m, seg, nseg, *_ = pack(val[:1], False)
        ref = net(w, s, h, g, d, m, seg, nseg)[: len(word)].numpy()
    if glove is not None:
        out[p + "glove_vecs"] = glove[1:]
    check = {**out, p + "lambda": np.array(1.0)}
    got = tagger.NeuralCuePass(check, p).forward(word, suf, shp, dense, sent, gl)
    print(f"  numpy vs torch: max abs difference {np.abs(got - ref).max():.2e}")
    return out


def load_cache(path: str | None):
    """The out-of-fold inputs ``save_cache`` stored, or None (no path, or no file yet)."""
    if not path:
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            cut = np.cumsum(f["lens"])[:-1]
            cols = [np.split(f[k], cut) for k in ("w", "s", "h", "d", "b", "sent", "y", "g")]
    except (OSError, KeyError):  # no file yet, or one from before the vector rows
        return None
    return list(zip(*cols, strict=True))


def save_cache(path: str | None, arts) -> None:
    if not path:
        return
    cols = list(zip(*arts, strict=True))
    np.savez(
        path,
        lens=np.array([len(a[0]) for a in arts]),
        **{k: np.concatenate(c) for k, c in zip("wshdb", cols[:5], strict=True)},
        sent=np.concatenate(cols[5]),
        y=np.concatenate(cols[6]),
        g=np.concatenate(cols[7]),
    )


def load_glove(path: str, n_words: int, stored: dict, model: Model) -> np.ndarray:
    """The frozen vectors a CNN reads (row 0: none) from word_vectors.py's npz at ``path``:
    those of the base file's word list when it has one (train.py --clusters), else of the
    ``n_words`` most frequent words, which then become the file's (and ``model``'s) list."""
    with np.load(path, allow_pickle=False) as f:
        words, vecs = f["words"], f["vecs"].astype(np.float32)
    if "glove_words" in stored:
        row = {w: i for i, w in enumerate(words.tolist())}
        keep = [row[w] for w in stored["glove_words"].tolist()]
        words, vecs = words[keep], vecs[keep]
    else:
        words, vecs = words[:n_words], vecs[:n_words]
        stored["glove_words"] = words
        model.glove = {w: i + 1 for i, w in enumerate(words.tolist())}
    return np.vstack([np.zeros((1, vecs.shape[1]), np.float32), vecs])


def add_cnn_arguments(ap: argparse.ArgumentParser, epochs: int) -> None:
    """The CNN's training options, shared by the cue and the source pass."""
    ap.add_argument("--lam", type=float, default=0.5, help="final = scores + lam * CNN output")
    ap.add_argument("--dim", type=int, default=48)
    ap.add_argument("--word-dim", type=int, default=32)
    ap.add_argument("--dilations", default="1,2,4")
    ap.add_argument("--epochs", type=int, default=epochs)
    ap.add_argument("--batch", type=int, default=8, help="articles per update")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--word-drop", type=float, default=0.1)
    ap.add_argument("--emb-l2", type=float, default=0.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", help="npz cache of the out-of-fold inputs (made if missing)")
    ap.add_argument(
        "--glove",
        help="word_vectors.py's npz ('words', most frequent first; 'vecs'): the CNN reads the "
        "vectors of the base file's word list, or of the --glove-words most frequent words",
    )
    ap.add_argument("--glove-words", type=int, default=50_000, help="most frequent words kept")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Train the neural stacked cue pass.")
    ap.add_argument("train", nargs="+")
    ap.add_argument("--base", required=True, help="model file train.py wrote from TRAIN")
    ap.add_argument("--out", required=True)
    ap.add_argument("--replace-linear", action="store_true")
    add_cnn_arguments(ap, epochs=8)
    args = ap.parse_args(argv)

    def inputs(model, data):
        return oof_inputs(model, data, args.folds, 3, 0.2, 3e-2, not args.replace_linear)

    train_pass(args, "nn_", inputs, nn_replaces_linear=np.array(args.replace_linear))
    return 0


def train_pass(args, prefix: str, inputs, **extra) -> None:
    """Train one CNN pass and write ``args.out``: the base file's arrays but its ``prefix``
    ones, then the CNN's. ``inputs(model, data)`` builds the out-of-fold inputs (or
    ``args.cache`` has them); ``extra`` arrays are stored too."""
    t0 = time.perf_counter()
    with np.load(args.base, allow_pickle=False) as f:
        stored = {k: f[k] for k in f.files if not k.startswith(prefix)}
    model = Model(stored)
    glove = load_glove(args.glove, args.glove_words, stored, model) if args.glove else None
    arts = load_cache(args.cache)
    if arts is None:
        arts = inputs(model, prepare([r for p in args.train for r in read(p)]))
        save_cache(args.cache, arts)
    print(f"{len(arts)} articles, {sum(len(a[0]) for a in arts)} tokens", flush=True)
    print(f"inputs in {time.perf_counter() - t0:.0f} s", flush=True)
    weights = train_cnn(arts, model.nv, model.ns, model.nh, args, prefix=prefix, glove=glove)
    np.savez_compressed(
        args.out,
        **stored,
        **{k: v.astype(np.float16) if v.dtype.kind == "f" else v for k, v in weights.items()},
        **{prefix + "lambda": np.array(args.lam)},
        **extra,
    )
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    raise SystemExit(main())
