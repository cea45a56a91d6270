"""Train the neural source pass (``tagger.Model.neural_src``, ``ns_*`` arrays) and add it to a
model file.

Usage (needs torch, which the project venv does not have; see MODEL.md)::

    python -m claims.extraction.train_neural_src TRAIN.jsonl --base BASE.npz --out OUT.npz \
        [--lam 0.5] [--epochs 14] [--seed 0] [--cache OOF.npz] [--glove VECTORS.npz]

``BASE.npz`` is the file ``train.py`` and ``train_neural.py`` wrote from the same TRAIN.jsonl
(every array of it is kept; ``ns_*`` arrays it may have are replaced). The CNN of the neural
cue pass (``train_neural.train_cnn``, its own weights) learns a correction of the source
model's scores from out-of-fold inputs: on train.py's five folds, pass 1 and the linear cue
pass are refitted (``train_neural.oof_cue_scores``) and so is the source model (on gold cue
positions, as train.py fits it); each held-out article is then scored by its fold's source
model with the cue spans its fold's cue models decode, as at run time. (The neural cue pass is
not refitted: the CNN sees pass 1 + linear pass cue scores in training, the full three-pass
ones at run time.) One article in ten is held out of the CNN's training to pick the epoch.
About 3.5-6 min per 700 articles, most of it the out-of-fold fits (``--cache`` keeps them;
the CNN alone then takes under two minutes). Held-out results: MODEL.md, eleventh round.
"""

from __future__ import annotations

import argparse

import numpy as np

from .tagger import TAG_O, Model, cue_marks, decode, neural_ids, neural_src_dense
from .train_neural import _out_of_fold, add_cnn_arguments, oof_cue_scores, train_pass


def oof_source_inputs(model: Model, data, folds: int, epochs: int, lr: float, l2: float):
    """Per article: (word, suffix, shape ids, dense inputs, out-of-fold source scores, sentence
    ids, gold source labels, pretrained-vector rows), every input as the neural source pass
    sees it at run time but from models that did not see the article."""
    fit_args = (epochs, lr, l2)
    feats = [model.base_features(toks, iq) for _t, toks, iq, *_ in data]
    off = feats[0][1]
    cue_scores = oof_cue_scores(model, data, feats, folds, fit_args, linear=True)
    # The source model is fitted on gold cue positions (train.py) and scores each held-out
    # article with the cues its fold's cue models decode.
    fit_x, run_x, starts = [], [], []
    for i, (base, _off, aux) in enumerate(feats):
        x, rows = model.src_features(base, off, aux, data[i][3] != TAG_O)
        fit_x.append(x)
        inside, start = cue_marks(len(base), decode(cue_scores[i]))
        run_x.append(model.src_features(base, off, aux, inside)[0])
        starts.append(start)
    fold = np.arange(len(data)) % folds
    ys = [d[4] for d in data]
    src = _out_of_fold(fit_x, ys, fold, rows, fit_args, "source", score_xs=run_x)
    del fit_x
    out = []
    for i, (base, _off, aux) in enumerate(feats):
        dense = neural_src_dense(run_x[i], off, aux.columns, cue_scores[i], starts[i], src[i])
        word, suf, shp = neural_ids(model, base)
        out.append((word, suf, shp, dense, src[i].astype(np.float32), aux.sent, ys[i], aux.glove))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Train the neural source pass.")
    ap.add_argument("train", nargs="+")
    ap.add_argument("--base", required=True, help="model file train.py (+ train_neural) wrote")
    ap.add_argument("--out", required=True)
    add_cnn_arguments(ap, epochs=14)
    args = ap.parse_args(argv)

    def inputs(model, data):
        return oof_source_inputs(model, data, args.folds, 3, 0.2, 3e-2)

    train_pass(args, "ns_", inputs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
