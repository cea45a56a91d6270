"""Learned token tagger for cue and source spans (a linear model over windowed word features).

Two small softmax classifiers label every token O / B / I:

* the **cue** model marks attribution cues ("said", "according to", "has battled",
  "issued a statement saying") from the words in a ±3 window, suffixes, capitalisation shapes
  and whether the token sits inside a quotation;
* the **source** model marks speaker mentions with the same features plus the distance and
  direction to the nearest predicted cue in the sentence (and whether punctuation lies between).

Every feature is an index into one weight table, so scoring a whole article is a numpy gather
and sum: linear in the article length and fast. Spans are decoded from the label probabilities
by constrained Viterbi (an I only after B or I), so they are always well formed. The weights are learned from PolNeAR train by
``python -m claims.extraction.train`` and shipped as ``tagger_model.npz`` (float16).
Without the model file the extractor falls back to its lexicon rules. ``CLAIMS_TAGGER_MODEL``
points to another weights file (for experiments with retrained models).
"""

from __future__ import annotations

import os
from bisect import bisect_left
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .text import Token

MODEL_PATH = Path(
    os.environ.get("CLAIMS_TAGGER_MODEL", "") or Path(__file__).with_name("tagger_model.npz")
)
WINDOW = 3  # words on each side
TAG_O, TAG_B, TAG_I = 0, 1, 2
_PUNCT_SHAPES = ",.;:!?\"'“”‘’()—–-$%&/"
_BETWEEN_MARKS = frozenset(",;:()—–\"“”‘’'«»")
N_DIST = 10
HASH = 1 << 17
N_IDS = 6  # per token: word, suffix, shape, stem, context flags, pretrained-vector row
BIGRAMS: tuple[int, ...] = ()


class TokenInfo(NamedTuple):
    """Per-token arrays the passes after ``base_features`` reuse."""

    flags: np.ndarray  # context flags ("that", opener, subject-like, "to", between-mark)
    sent: np.ndarray  # sentence index
    glove: np.ndarray  # pretrained-vector row (0: none)
    context: np.ndarray  # the flags of the clause around the token (``_context_codes``)
    columns: np.ndarray  # (n, 13) float32 token inputs of the neural passes (``token_columns``)


def shape(text: str) -> str:
    """A coarse shape: capitalisation, digits, or the punctuation mark itself."""
    c = text[0]
    if not c.isalnum():
        return c if c in _PUNCT_SHAPES else "P"
    if c.isdigit():
        return "d"
    if c.isupper():
        if len(text) > 1 and text.isupper():
            return "X."[: 2 if text.endswith(".") else 1]
        return "Xx." if text.endswith(".") else ("Xx-" if "-" in text else "Xx")
    return "x-" if "-" in text else "x"


def stem(low: str) -> str:
    """Strip a common inflection: "railed"/"rails"/"railing" -> "rail"."""
    for suf in ("ing", "ed", "es", "s"):
        if low.endswith(suf) and len(low) - len(suf) >= 3:
            return low[: -len(suf)]
    return low


CONTEXT = True
_SUBJECTY = frozenset(["he", "she", "they", "we", "i", "it", "who", "which"])
_OPENERS = frozenset("\"“‘'«:")


def _shift_any(flags: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """True where flags is true at any offset in [lo, hi] (offsets are non-zero)."""
    n = len(flags)
    out = np.zeros(n, dtype=bool)
    for d in range(lo, hi + 1):
        if d > 0:
            out[: n - d] |= flags[d:]
        elif d < 0:
            out[-d:] |= flags[: n + d]
    return out


def _context_codes(flags: np.ndarray) -> np.ndarray:
    that = (flags & 1) > 0
    opener = (flags & 2) > 0
    subj = (flags & 4) > 0
    to = (flags & 8) > 0
    code = _shift_any(that, 1, 4).astype(np.int64)
    code += 2 * _shift_any(opener, 1, 3)
    code += 4 * _shift_any(subj, -3, -1)
    code += 8 * _shift_any(to, 1, 2)
    code += 16 * _shift_any(opener, -2, -1)
    return code


def dist_bucket(d: int) -> int:
    """1..6 exact, 7 for 7-9, 8 for 10-15, 9 beyond; 0 means no cue."""
    if d <= 6:
        return d
    if d <= 9:
        return 7
    return 8 if d <= 15 else 9


_DIST_TABLE = None


def _dist_table() -> np.ndarray:
    global _DIST_TABLE
    if _DIST_TABLE is None:
        _DIST_TABLE = np.array([0] + [dist_bucket(d) for d in range(1, 64)], dtype=np.int64)
    return _DIST_TABLE


def quote_mask(toks: list[Token], quotes) -> np.ndarray:
    """True for tokens inside a top-level quotation (marks included)."""
    n = len(toks)
    starts = [t.start for t in toks]  # bisect on a list: no numpy call per quote
    delta = np.zeros(n + 1, dtype=np.int64)
    for q in quotes:
        if q.depth == 0:
            delta[bisect_left(starts, q.open)] += 1
            delta[bisect_left(starts, q.close)] -= 1
    return np.cumsum(delta[:n]) > 0


class _WeightTable:
    """A model attribute holding a (rows, 3) float32 weight table (or None), kept also in the
    layout ``_score`` takes (``pack_weights``): ``model.w_cue`` is the table,
    ``model.packed("w_cue")`` the packed one."""

    def __set_name__(self, owner, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj, owner=None):
        return self if obj is None else obj.__dict__[self.slot][0]

    def __set__(self, obj, w: np.ndarray | None) -> None:
        w = None if w is None else w.astype(np.float32)
        obj.__dict__[self.slot] = (w, None if w is None else pack_weights(w))


class Model:
    """Vocabularies and the weight tables (cue, optional stacked cue pass, source)."""

    w_cue = _WeightTable()
    w_cue2 = _WeightTable()
    w_src = _WeightTable()

    def __init__(self, data: dict) -> None:
        self.vocab = {w: i + 2 for i, w in enumerate(data["vocab"].tolist())}  # 0 pad, 1 unknown
        self.suffixes = {w: i + 2 for i, w in enumerate(data["suffixes"].tolist())}
        self.shapes = {w: i + 2 for i, w in enumerate(data["shapes"].tolist())}
        self.nv = len(self.vocab) + 2
        self.ns = len(self.suffixes) + 2
        self.nh = len(self.shapes) + 2
        self.w_cue = data["w_cue"]
        self.w_src = data["w_src"]
        # Stacked second cue pass (optional: files without it tag cues in one pass).
        self.w_cue2 = data.get("w_cue2")
        # residual: pass 2 adds weights of the stack columns only to pass 1's scores
        self.stack_residual = bool(data["stack_residual"]) if "stack_residual" in data else False
        self.stack_stem = bool(data["stack_stem"]) if "stack_stem" in data else True
        # final scores = pass 1 + lambda * (pass 2 - pass 1)
        self.stack_lambda = float(data["stack_lambda"]) if "stack_lambda" in data else 1.0
        self.stems = {w: i + 2 for i, w in enumerate(data["stems"].tolist())}
        self.nt = len(self.stems) + 2
        # Hashed word bigrams (offsets of the first word): stored with the weights they need.
        self.bigrams = tuple(int(d) for d in data["bigrams"]) if "bigrams" in data else BIGRAMS
        # Neural stacked cue pass (optional: files without ``nn_*`` arrays tag as before).
        self.neural = NeuralCuePass(data) if "nn_emb_word" in data else None
        # Neural source pass (optional: files without ``ns_*`` arrays tag sources as before).
        self.neural_src = NeuralCuePass(data, "ns_") if "ns_emb_word" in data else None
        # Words of the pretrained vectors (optional): lower-cased word -> row (0: none). The
        # linear passes read their clusters, the neural passes their vectors.
        words = data["glove_words"].tolist() if "glove_words" in data else []
        self.glove = {w: i + 1 for i, w in enumerate(words)}
        # (rows, granularities) cluster ids, row 0 for words without a vector (id k)
        clusters = data.get("glove_clusters")
        self.clusters = None if clusters is None else clusters.astype(np.int64)
        self._cache: dict[str, int] = {}  # token text -> its row of _rows (see _ids_array)
        self._rows = np.zeros((4096, N_IDS), dtype=np.int64)

    def packed(self, name: str) -> np.ndarray:
        """Weight table ``name`` as ``_score`` takes it (see ``_WeightTable``)."""
        return self.__dict__["_" + name][1]

    # -- features -----------------------------------------------------------------------------
    def ids(self, text: str) -> tuple[int, int, int, int, int, int]:
        """Word, suffix, shape and stem indices, the context flags and the pretrained-vector
        row of a token text."""
        low = text.lower()
        flags = (
            (low == "that")
            | (low in _OPENERS) << 1
            | (low in _SUBJECTY or text[0].isupper()) << 2
            | (low == "to") << 3
            | (text in _BETWEEN_MARKS) << 4
        )
        return (
            self.vocab.get(low, 1),
            self.suffixes.get(low[-3:], 1),
            self.shapes.get(shape(text), 1),
            self.stems.get(stem(low), 1),
            flags,
            self.glove.get(low, 0),
        )

    def _ids_array(self, toks: list[Token]) -> np.ndarray:
        """(n, N_IDS) ids of the tokens, from a cache of token texts (bounded: memory stays
        flat over many articles); one ``ids`` call per new text only. The cache maps a text to
        its row of ``_rows``, so the article's ids are one numpy gather (no tuple per token)."""
        texts = [t.text for t in toks]
        cache = self._cache
        new = set(texts).difference(cache)
        if len(cache) + len(new) > 200_000:
            cache.clear()
            new = set(texts)
        if new:
            first = len(cache)
            end = first + len(new)
            if end > len(self._rows):
                grown = np.zeros((max(end, 2 * len(self._rows)), N_IDS), dtype=np.int64)
                grown[:first] = self._rows[:first]
                self._rows = grown
            for row, text in enumerate(new, first):
                cache[text] = row
            self._rows[first:end] = [self.ids(text) for text in new]
        rows = np.fromiter(map(cache.__getitem__, texts), dtype=np.intp, count=len(texts))
        return self._rows[rows]

    def base_features(self, toks: list[Token], in_quote: np.ndarray):
        """(n, T) global feature indices of the cue model, the next free index, and the
        ``TokenInfo`` the later passes reuse."""
        n = len(toks)
        ids = self._ids_array(toks)
        flags = ids[:, 4]
        pad = WINDOW
        w = np.zeros(n + 2 * pad, dtype=np.int64)
        w[pad : pad + n] = ids[:, 0]
        s = np.zeros(n + 2, dtype=np.int64)
        s[1 : 1 + n] = ids[:, 1]
        h = np.zeros(n + 4, dtype=np.int64)
        h[2 : 2 + n] = ids[:, 2]
        sent = np.fromiter((t.sent for t in toks), dtype=np.int64, count=n)
        first = np.ones(n, dtype=bool)
        first[1:] = sent[1:] != sent[:-1]
        # position in sentence: 0, 1, 2, 3+
        pos = np.zeros(n, dtype=np.int64)
        starts = np.flatnonzero(first)
        idx = np.arange(n)
        pos = idx - starts[np.searchsorted(starts, idx, side="right") - 1]
        pos = np.minimum(pos, 3)
        cols = []
        off = 0
        for d in range(-WINDOW, WINDOW + 1):
            cols.append(w[pad + d : pad + d + n] + off)
            off += self.nv
        for d in (-1, 0, 1):
            cols.append(s[1 + d : 1 + d + n] + off)
            off += self.ns
        for d in (-2, -1, 0, 1, 2):
            cols.append(h[2 + d : 2 + d + n] + off)
            off += self.nh
        # shape bigrams around the token
        cols.append(h[1 : 1 + n] * self.nh + h[2 : 2 + n] + off)
        off += self.nh * self.nh
        cols.append(h[2 : 2 + n] * self.nh + h[3 : 3 + n] + off)
        off += self.nh * self.nh
        cols.append(in_quote.astype(np.int64) * 4 + pos + off)
        off += 8
        st = np.zeros(n + 2, dtype=np.int64)
        st[1 : 1 + n] = ids[:, 3]
        for d in (-1, 0, 1):
            cols.append(st[1 + d : 1 + d + n] + off)
            off += self.nt
        cols.append(ids[:, 0] * 2 + in_quote.astype(np.int64) + off)  # word inside a quote
        off += 2 * self.nv
        code = _context_codes(flags)
        if CONTEXT:
            # The stem in its clause context: "that" ahead, a quotation or colon ahead, a
            # subject-like word behind ("he said that", "said:", "X told reporters that").
            cols.append((ids[:, 3] * 32 + code) % HASH + off)
            off += HASH
        # hashed word bigrams: (-1, 0), (0, +1), (+1, +2), (-2, -1)
        for d in self.bigrams:
            a = w[pad + d : pad + d + n]
            b = w[pad + d + 1 : pad + d + 1 + n]
            cols.append((a * 1_000_003 + b) % HASH + off)
            off += HASH
        if self.clusters is not None:
            # The word-vector clusters of the token and its neighbours: what the word is like,
            # for words too rare in training to have useful weights of their own.
            cl = self.clusters[ids[:, 5]]
            for g in range(cl.shape[1]):
                k = int(self.clusters[0, g]) + 2  # ids 0..k-1, k: no vector, k+1: outside
                c = np.full(n + 2, k - 1, dtype=np.int64)
                c[1 : 1 + n] = cl[:, g]
                for d in (-1, 0, 1):
                    cols.append(c[1 + d : 1 + d + n] + off)
                    off += k
        cols.append(np.full(n, off, dtype=np.int64))  # bias
        off += 1
        columns = token_columns(flags, code, sent, in_quote)
        return np.stack(cols, axis=1), off, TokenInfo(flags, sent, ids[:, 5], code, columns)

    def cue_scores(self, base: np.ndarray) -> np.ndarray:
        return _score(self.packed("w_cue"), base)

    def cue_pass(self, base: np.ndarray, off: int, aux, in_quote: np.ndarray):
        """(pass-1, final) (n, 3) cue scores: final is pass 2 over pass 1 when the file has it."""
        scores = self.cue_scores(base)
        final = scores
        if self.w_cue2 is not None and not (self.neural and self.neural.replaces_linear):
            res = self.stack_residual
            cols = stack_features(base, off, aux, in_quote, scores, not res, self.stack_stem)[0]
            s2 = _score(self.packed("w_cue2"), cols)
            # lambda < 1 shrinks pass 2 towards pass 1: pass 2 learned from out-of-fold pass-1
            # outputs, which are less sharp than the full pass 1 it corrects at run time
            if res:
                final = scores + self.stack_lambda * s2
            else:
                final = scores + self.stack_lambda * (s2 - scores)
        if self.neural is not None:
            final = self._corrected(
                self.neural,
                base,
                aux,
                final,
                _not_o(final) >= CUE_CNN_FLOOR,
                lambda rows: neural_dense(aux.columns[rows], final[rows]),
            )
        return scores, final

    def _corrected(self, net, base: np.ndarray, aux, scores, seeds: np.ndarray, dense_of):
        """``scores`` plus ``lam`` times the correction of the CNN ``net``, in the sentences that
        hold a ``seeds`` token only (a CNN pass costs as much as the rest of the tagger; the
        seeds' floors, ``CUE_CNN_FLOOR`` and ``SOURCE_CUE_FLOOR``, leave every PolNeAR output as
        it is). The CNN reads those sentences and ``reach`` tokens either side, which gives them
        exactly the correction a run over the whole article would. ``dense_of(rows)``: the CNN's
        dense inputs of those token rows."""
        keep, rows = _rows_within_reach(aux.sent, seeds, net.reach)
        if not len(rows):
            return scores
        word, suf, shp = neural_ids(self, base[rows])
        delta = net.forward(word, suf, shp, dense_of(rows), aux.sent[rows], aux.glove[rows])
        kept = keep[rows]
        out = scores.copy()
        out[rows[kept]] += net.lam * delta[kept]
        return out

    def src_features(self, base: np.ndarray, off: int, aux, cue: np.ndarray):
        """Append distance-to-cue features; ``cue`` marks tokens inside cue spans."""
        flags, sent = aux.flags, aux.sent
        n = len(sent)
        mark = (flags & 16) > 0
        right = np.zeros(n, dtype=np.int64)  # nearest cue to the right, same sentence
        left = np.zeros(n, dtype=np.int64)
        cue_pos = np.flatnonzero(cue)
        table = _dist_table()
        if len(cue_pos):
            idx = np.arange(n)
            cmark = np.concatenate(([0], np.cumsum(mark)))
            k = np.searchsorted(cue_pos, idx, side="left")
            has = k < len(cue_pos)
            j = jr = cue_pos[np.minimum(k, len(cue_pos) - 1)]
            ok = has & (sent[j] == sent) & ~cue
            d = j - idx
            between = (cmark[j] - cmark[np.minimum(idx + 1, n)]) > 0
            b = table[np.clip(d, 1, 63)]
            right = np.where(ok, b + N_DIST * between, 0)
            k = np.searchsorted(cue_pos, idx, side="right") - 1
            has = k >= 0
            j = jl = cue_pos[np.maximum(k, 0)]
            ok = has & (sent[j] == sent) & ~cue
            d = idx - j
            between = (cmark[idx] - cmark[np.minimum(j + 1, n)]) > 0
            b = table[np.clip(d, 1, 63)]
            left = np.where(ok, b + N_DIST * between, 0)
        incue = cue.astype(np.int64)
        wid = base[:, WINDOW]  # the token's own word column (offset 3 * nv)
        wid = wid - WINDOW * self.nv
        cw_r = np.zeros(n, dtype=np.int64)
        cw_l = np.zeros(n, dtype=np.int64)
        if len(cue_pos):
            cw_r = np.where(right > 0, wid[jr] * 32 + right, 0)
            cw_l = np.where(left > 0, wid[jl] * 32 + left, 0)
        e0 = off + 4 * N_DIST + 4 * N_DIST * N_DIST + 2
        extra = np.stack(
            [
                cw_r % HASH + e0,
                cw_l % HASH + e0 + HASH,
                right + off,
                left + off + 2 * N_DIST,
                right * 2 * N_DIST + left + off + 4 * N_DIST,
                incue + off + 4 * N_DIST + 4 * N_DIST * N_DIST,
            ],
            axis=1,
        )
        return np.concatenate([base, extra], axis=1), e0 + 2 * HASH

    def src_scores(self, feats: np.ndarray) -> np.ndarray:
        return _score(self.packed("w_src"), feats)

    def source_pass(self, base: np.ndarray, off: int, aux, cue_scores, cues):
        """(n, 3) final source scores, given the final cue scores and the cue spans decoded
        from them: the source model's, plus ``lam`` times the neural source pass's correction
        when the file has one (``ns_*`` arrays)."""
        inside, start = cue_marks(len(base), cues)
        feats, _ = self.src_features(base, off, aux, inside)
        scores = self.src_scores(feats)
        if self.neural_src is None:
            return scores
        # Speakers are only looked for around cues: the sentences with a decoded cue or a
        # token of P(cue) >= SOURCE_CUE_FLOOR (the rules also find cues the decoder leaves out).
        return self._corrected(
            self.neural_src,
            base,
            aux,
            scores,
            start | (_not_o(cue_scores) >= SOURCE_CUE_FLOOR),
            lambda rows: neural_src_dense(
                feats[rows], off, aux.columns[rows], cue_scores[rows], start[rows], scores[rows]
            ),
        )


def _rows_within_reach(sent: np.ndarray, flagged: np.ndarray, reach: int):
    """(a mask of the tokens of the sentences with a ``flagged`` token, the indices of those
    tokens and of ``reach`` tokens either side of them)."""
    n = len(sent)
    # a table of the flagged sentences (sent never decreases: its last is the largest), not
    # np.isin, whose set logic costs more than the rest of this on an article
    flagged_sents = np.zeros(sent[-1] + 1 if n else 0, dtype=bool)
    flagged_sents[sent[flagged]] = True
    keep = flagged_sents[sent]
    before = np.concatenate(([0], np.cumsum(keep)))  # kept tokens before each position
    idx = np.arange(n)
    near = before[np.minimum(idx + reach + 1, n)] > before[np.maximum(idx - reach, 0)]
    return keep, np.flatnonzero(near)


def cue_marks(n: int, cues) -> tuple[np.ndarray, np.ndarray]:
    """(inside a cue span, first token of one) flags of n tokens, given decoded cue spans."""
    inside = np.zeros(n, dtype=bool)
    start = np.zeros(n, dtype=bool)
    for a, b in cues:
        inside[a:b] = True
        start[a] = True
    return inside, start


def pack_weights(w: np.ndarray) -> np.ndarray:
    """A (rows, 3) weight table as ``_score`` reads it: each row's three weights and a zero in
    one 16-byte item (a complex128 view), so a feature's weights are one gather."""
    table = np.zeros((len(w), 4), dtype=np.float32)
    table[:, :3] = w
    return table.view(np.complex128).ravel()


@cache
def _label_sums(columns: int) -> np.ndarray:
    """(4 x columns, 3) 0/1 matrix: times the gathered rows, each label's sum over columns."""
    return np.tile(np.eye(4, 3, dtype=np.float32), (columns, 1))


def _score(packed: np.ndarray, feats: np.ndarray) -> np.ndarray:
    """(n, 3) sum of the weights of every feature, per label, given the weight table as
    ``pack_weights`` packs it and (n, T) feature indices.

    One ``take`` of 16-byte items over all feature indices, then one small matrix product for
    the sums: four times as fast as three gathers of single weights and their sums (the
    gathers are cache misses in tables of several MB; the (n, T) temporary is bounded by the
    chunk size).
    """
    n, t = feats.shape
    rows = packed.take(feats).view(np.float32).reshape(n, 4 * t)
    return rows @ _label_sums(t)


# -- stacking: a second cue pass over the first pass's outputs in context ------------------------
#
# Pass 1's per-token decisions ignore what the model thinks of the neighbouring tokens and of
# the rest of the sentence ("would like", "was critical of" get low P(cue) token by token).
# Pass 2 sees the same base features plus pass 1's quantised P(cue) around the token, sentence
# aggregates and their crossings with the token's stem. It is trained on out-of-fold pass-1
# outputs (train.py), so it learns how far to trust pass 1 on unseen text. Held-out results
# and costs: MODEL.md, "Eighth round: a stacked cue pass".
Q_EDGES = np.array([0.03, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9])
NQ = len(Q_EDGES) + 1  # buckets 0..8; NQ is the pad bucket outside the sentence
STACK_OFFSETS = (-3, -2, -1, 1, 2, 3)
HIGH = 0.5  # a "high-probability" token for the distance features
_STEM_COL = 2 * WINDOW + 1 + 3 + 5 + 2 + 1 + 1  # base column of the token's own stem


def _shifted_exp(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(scores minus each row's maximum, its exp, the row sums of the exp) of (n, 3) scores.
    Column by column: numpy reduces along an axis of length 3 several times slower."""
    top = np.maximum(np.maximum(scores[:, 0], scores[:, 1]), scores[:, 2])
    sc = scores - top[:, None]
    p = np.exp(sc)
    return sc, p, p[:, 0] + p[:, 1] + p[:, 2]


def _log_probs(scores: np.ndarray) -> np.ndarray:
    """(n, 3) log-softmax of (n, 3) scores."""
    sc, _, total = _shifted_exp(scores)
    return sc - np.log(total)[:, None]


def _not_o(scores: np.ndarray) -> np.ndarray:
    _, p, total = _shifted_exp(scores)
    return 1.0 - p[:, TAG_O] / total


def _nearest(flag: np.ndarray, sent: np.ndarray, side: int) -> np.ndarray:
    """Bucketed distance (0 = none) to the nearest other flagged token of the same sentence
    on the left (side -1) or the right (side +1)."""
    n = len(flag)
    pos = np.flatnonzero(flag)
    out = np.zeros(n, dtype=np.int64)
    if not len(pos):
        return out
    idx = np.arange(n)
    table = _dist_table()
    if side > 0:
        k = np.searchsorted(pos, idx, side="right")
        has = k < len(pos)
        j = pos[np.minimum(k, len(pos) - 1)]
        d = j - idx
    else:
        k = np.searchsorted(pos, idx, side="left") - 1
        has = k >= 0
        j = pos[np.maximum(k, 0)]
        d = idx - j
    ok = has & (sent[j] == sent)
    return np.where(ok, table[np.clip(d, 1, 63)], 0)


def stack_features(
    base: np.ndarray,
    off: int,
    aux,
    in_quote: np.ndarray,
    scores1,
    with_base: bool = True,
    stem: bool = True,
):
    """(n, T + S) feature indices of the second cue pass: the base columns plus pass-1 context.

    Rows from ``off`` on (after the base rows): quantised pass-1 P(cue) of the token and of its
    neighbours at -3..+3 (alone and crossed with the token's own bucket), the highest P(cue)
    elsewhere in the sentence, the number of pass-1 cue spans in the sentence, the distance to
    the nearest other confident token either side, the clause-context code and the quotation
    flag crossed with the token's bucket, and hashed stem x bucket / stem x sentence-max.
    All vectorised and linear in the number of tokens.
    """
    sent = aux.sent
    n = len(sent)
    p = _not_o(scores1)
    q = np.searchsorted(Q_EDGES, p, side="right").astype(np.int64)
    cols = []
    o = off if with_base else 0
    cols.append(q + o)
    o += NQ
    for d in STACK_OFFSETS:
        qd = np.full(n, NQ, dtype=np.int64)  # pad: outside the sentence / article
        if d > 0:
            qd[: n - d] = np.where(sent[d:] == sent[: n - d], q[d:], NQ)
        else:
            qd[-d:] = np.where(sent[: n + d] == sent[-d:], q[: n + d], NQ)
        cols.append(qd + o)
        o += NQ + 1
        cols.append(q * (NQ + 1) + qd + o)
        o += NQ * (NQ + 1)
    # Sentence aggregates: highest P(cue) at another token (top-2 per sentence), and the number
    # of pass-1 cue spans (B-argmax starts) in the sentence.
    first = np.ones(n, dtype=bool)
    first[1:] = sent[1:] != sent[:-1]
    starts = np.flatnonzero(first)
    seg = np.cumsum(first) - 1
    smax = np.maximum.reduceat(p, starts)
    # the second highest: mask each sentence's top token (its first maximum) and reduce again
    at_max = np.flatnonzero(p == smax[seg])
    top_idx = at_max[np.searchsorted(at_max, starts)]
    p2 = p.copy()
    p2[top_idx] = -1.0
    smax2 = np.maximum.reduceat(p2, starts)
    other = np.where(np.arange(n) == top_idx[seg], smax2[seg], smax[seg])
    other = np.maximum(other, 0.0)
    qo = np.searchsorted(Q_EDGES, other, side="right").astype(np.int64)
    cols.append(q * NQ + qo + o)
    o += NQ * NQ
    pb = scores1.argmax(axis=1) == TAG_B
    nspan = np.minimum(np.add.reduceat(pb.astype(np.int64), starts), 3)[seg]
    cols.append((nspan * NQ + q) * 2 + (p >= HIGH) + o)
    o += 4 * NQ * 2
    hi = p >= HIGH
    dl = _nearest(hi, sent, -1)
    dr = _nearest(hi, sent, 1)
    cols.append(dl * NQ + q + o)
    o += N_DIST * NQ
    cols.append(dr * NQ + q + o)
    o += N_DIST * NQ
    cols.append(aux.context * NQ + q + o)
    o += 32 * NQ
    cols.append(in_quote.astype(np.int64) * NQ + q + o)
    o += 2 * NQ
    # The token's stem (its base column is a unique id) x its bucket, and x the sentence's
    # other maximum: per-word recalibration ("wants", "oppose" next to a confident "said").
    if stem:
        stem_id = base[:, _STEM_COL]
        cols.append((stem_id * 16 + q) % HASH + o)
        o += HASH
        cols.append((stem_id * 16 + qo) % HASH + o)
        o += HASH
    stack = np.stack(cols, axis=1)
    return (np.concatenate([base, stack], axis=1) if with_base else stack), o


# -- a neural stacked cue pass: a small dilated 1-D CNN over the article -------------------------
#
# The linear passes see a ±3 window and a few sentence flags. The CNN sees, per token, the
# scores it corrects (log-probabilities), learned embeddings of the word (the file's vocabulary:
# train words seen twice or more, the rest unknown), its suffix and shape, the quotation and
# clause-context flags, and sentence boundaries; residual dilated convolutions (width 3) widen
# that to about ±15 tokens, and a max over the sentence adds sentence context. It outputs an
# O/B/I correction added to the scores (times ``nn_lambda``), so calibration stays close to
# pass 1's. Trained with torch by ``train_neural.py`` on out-of-fold pass-1 scores; inference is
# a few (n, H) x (H, H) matmuls in numpy.
N_DENSE = 17


def _prob_columns(out: np.ndarray, col: int, scores) -> None:
    """Write the O/B/I log-probabilities of ``scores`` (scaled so inputs stay O(1)) and
    P(not O) into ``out[:, col : col + 4]``."""
    lp = _log_probs(scores)
    out[:, col : col + 3] = np.maximum(lp, -20.0) / 5.0
    out[:, col + 3] = 1.0 - np.exp(lp[:, TAG_O])


def token_columns(flags: np.ndarray, code: np.ndarray, sent: np.ndarray, in_quote) -> np.ndarray:
    """The (n, 13) float32 token columns both neural passes read: quotation, the token's flags
    and its clause codes bit by bit, sentence start and end."""
    n = len(sent)
    out = np.zeros((n, 13), dtype=np.float32)
    out[:, 0] = in_quote
    for bit in range(5):
        out[:, 1 + bit] = (flags >> bit) & 1
        out[:, 6 + bit] = (code >> bit) & 1
    if n:
        out[0, 11] = 1.0
        out[1:, 11] = sent[1:] != sent[:-1]
        out[-1, 12] = 1.0
        out[:-1, 12] = sent[1:] != sent[:-1]
    return out


def neural_dense(columns: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """(n, N_DENSE) float32 per-token inputs of the neural pass besides the embeddings: the
    probability columns of ``scores`` and the token columns."""
    out = np.empty((len(columns), N_DENSE), dtype=np.float32)
    _prob_columns(out, 0, scores)
    out[:, 4:] = columns
    return out


def neural_ids(model: Model, base: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The token's own word, suffix and shape ids, read back from its base feature columns."""
    word = base[:, WINDOW] - WINDOW * model.nv
    suf = base[:, 2 * WINDOW + 2] - (2 * WINDOW + 1) * model.nv - model.ns
    shp = base[:, 2 * WINDOW + 6] - (2 * WINDOW + 1) * model.nv - 3 * model.ns - 2 * model.nh
    return word, suf, shp


class NeuralCuePass:
    """The CNN's weights (the ``nn_*`` arrays of the model file, or those of another
    ``prefix``: ``ns_`` for the neural source pass) and its numpy forward pass."""

    def __init__(self, data: dict, prefix: str = "nn_") -> None:
        def f32(k):
            return np.ascontiguousarray(data[prefix + k], dtype=np.float32)

        w_in, self.b_in = f32("w_in"), f32("b_in")
        # The embeddings are folded into the first layer at load time: a token's share of it
        # is a row of each table (one gather, no concatenated input to multiply).
        tables = [f32("emb_word"), f32("emb_suf"), f32("emb_shape")]
        # Frozen pretrained word vectors (row 0: none), for words too rare in training to
        # have a useful embedding of their own ("decried", "quipped"): optional.
        if prefix + "glove_vecs" in data:
            vecs = f32("glove_vecs")
            tables.append(np.vstack([np.zeros((1, vecs.shape[1]), np.float32), vecs]))
        self.in_tables = []
        row = 0
        for table in tables:
            self.in_tables.append(table @ w_in[row : row + table.shape[1]])
            row += table.shape[1]
        self.w_dense = w_in[row:]
        self.dilations = [int(d) for d in data[prefix + "dilations"]]
        # (3, H, H) per layer: the left, centre and right neighbour's weights
        self.w_conv = [f32(f"w_conv{i}") for i in range(len(self.dilations))]
        self.b_conv = [f32(f"b_conv{i}") for i in range(len(self.dilations))]
        self.w_out, self.b_out = f32("w_out"), f32("b_out")  # (2H, 3): token, sentence max
        # how many tokens either side a token's output depends on
        self.reach = sum(self.dilations)
        self.lam = float(data[prefix + "lambda"])
        # the CNN corrects pass 1 in place of the linear stacked pass (else it corrects its output)
        self.replaces_linear = bool(data.get(prefix + "replaces_linear", False))

    def forward(self, word, suf, shp, dense, sent, glove=None) -> np.ndarray:
        # In place wherever numpy allows: the temporaries of (n, H) arrays cost about as much
        # as the convolutions' products. Each convolution is three products of shifted views
        # of h (no copy of h per tap; tokens beyond the article's ends are zeros).
        n = len(sent)
        t = self.in_tables
        x = dense @ self.w_dense
        x += self.b_in
        x += t[0].take(word, axis=0)
        x += t[1].take(suf, axis=0)
        x += t[2].take(shp, axis=0)
        if len(t) > 3:
            x += t[3].take(glove, axis=0)
        h = np.maximum(x, 0.0, out=x)
        hdim = h.shape[1]
        for (left, centre, right), b, d in zip(
            self.w_conv, self.b_conv, self.dilations, strict=True
        ):
            y = h @ centre
            if d < n:
                y[d:] += h[: n - d] @ left
                y[: n - d] += h[d:] @ right
            y += b
            h += np.maximum(y, 0.0, out=y)
        first = np.empty(n, dtype=bool)
        first[0] = True
        np.not_equal(sent[1:], sent[:-1], out=first[1:])
        # the sentence maximum's share of the output, per sentence, then per token
        smax = np.maximum.reduceat(h, np.flatnonzero(first), axis=0) @ self.w_out[hdim:]
        out = h @ self.w_out[:hdim]
        out += smax[np.cumsum(first) - 1]
        out += self.b_out
        return out


# -- a neural source pass: the same CNN (its own weights, ``ns_*`` arrays) on the source scores --
#
# Its dense inputs add what the source model is conditioned on: the final cue scores, the
# decoded cue spans and the distance to them. Trained by ``train_neural_src.py`` on out-of-fold
# source scores (each article scored with the cues its fold's cue models decode); held-out
# results: MODEL.md, eleventh round.
N_SRC_DENSE = 27
# The neural passes skip sentences where no token has this P(cue) (the cue pass: after the
# linear passes): the same output on every PolNeAR article as runs over all sentences (0.5 for
# sources and 0.1 for cues each changed one of 924), a third and a tenth fewer tokens through
# the CNNs.
SOURCE_CUE_FLOOR = 0.3
CUE_CNN_FLOOR = 0.05


def neural_src_dense(
    feats: np.ndarray, off: int, columns: np.ndarray, cue_scores, cue_start, src_scores
) -> np.ndarray:
    """(n, N_SRC_DENSE) float32 inputs of the neural source pass besides the embeddings.

    ``feats`` and ``off`` are ``src_features``' output and the base feature count (the cue
    flags and distances are read back from its last columns), ``cue_start`` marks the first
    token of every decoded cue span. Columns: the source model's log-probabilities and
    P(source), the cue scores' and P(cue), inside a cue, cue start, closeness (1 adjacent ..
    1/9 far, 0 none) to the nearest cue right and left in the sentence and whether punctuation
    lies between, then the 13 token ``columns``. Every input is the token's own, so the rows
    of a subset of tokens are the rows of the whole article.
    """
    n = len(columns)
    t = feats.shape[1] - 6  # the base columns; src_features appends 6
    out = np.zeros((n, N_SRC_DENSE), dtype=np.float32)
    _prob_columns(out, 0, src_scores)
    _prob_columns(out, 4, cue_scores)
    out[:, 8] = feats[:, t + 5] - (off + 4 * N_DIST + 4 * N_DIST * N_DIST)  # inside a cue
    out[:, 9] = cue_start
    for k, code in enumerate((feats[:, t + 2] - off, feats[:, t + 3] - off - 2 * N_DIST)):
        bucket = code % N_DIST
        out[:, 10 + 2 * k] = np.where(bucket > 0, (N_DIST - bucket) / (N_DIST - 1), 0.0)
        out[:, 11 + 2 * k] = code >= N_DIST
    out[:, 14:] = columns
    return out


DECODE_FLOOR = 0.95  # tokens with P(O) at or above this are O for sure (outside every stretch)


def decode(scores: np.ndarray) -> list[tuple[int, int]]:
    """Constrained Viterbi decoding of (n, 3) scores into well-formed BIO token spans.

    The best label sequence under the softmax probabilities in which I only follows B or I
    (greedy argmax would open a span at a stray I and split or fragment spans). Only stretches
    of tokens where some label other than O has a real chance (P(O) < ``DECODE_FLOOR``) are
    decoded; every other token is O. Linear in the number of tokens.
    """
    n = len(scores)
    if n == 0:
        return []
    lp = _log_probs(scores)
    busy = np.flatnonzero(lp[:, TAG_O] < np.log(DECODE_FLOOR))
    spans: list[tuple[int, int]] = []
    if not len(busy):
        return spans
    # Stretches of consecutive busy tokens: [a, b) pairs.
    cut = np.flatnonzero(np.diff(busy) > 1)
    firsts = np.concatenate(([busy[0]], busy[cut + 1])).tolist()
    lasts = np.concatenate((busy[cut], [busy[-1]])).tolist()
    for a, last in zip(firsts, lasts, strict=True):
        b = last + 1
        if b - a == 1:  # a lone token: a one-token span when B beats O (I cannot start)
            if lp[a, TAG_B] > lp[a, TAG_O]:
                spans.append((a, b))
            continue
        rows = lp[a:b].tolist()
        v_o, v_b, v_i = rows[0][TAG_O], rows[0][TAG_B], -1e30
        back: list[tuple[int, int, int]] = []
        for o, bb, ii in rows[1:]:
            # Best predecessor of O and of B (any state), and of I (B or I only).
            if v_o >= v_b and v_o >= v_i:
                best, arg = v_o, TAG_O
            elif v_b >= v_i:
                best, arg = v_b, TAG_B
            else:
                best, arg = v_i, TAG_I
            if v_b >= v_i:
                best_i, arg_i = v_b, TAG_B
            else:
                best_i, arg_i = v_i, TAG_I
            back.append((arg, arg, arg_i))
            v_o, v_b, v_i = best + o, best + bb, best_i + ii
        if v_o >= v_b and v_o >= v_i:
            state = TAG_O
        elif v_b >= v_i:
            state = TAG_B
        else:
            state = TAG_I
        labels = [state]
        for ptr in reversed(back):
            state = ptr[state]
            labels.append(state)
        labels.reverse()
        start = -1
        for i, lab in enumerate(labels):
            if lab == TAG_B:
                if start >= 0:
                    spans.append((a + start, a + i))
                start = i
            elif lab == TAG_O and start >= 0:
                spans.append((a + start, a + i))
                start = -1
        if start >= 0:
            spans.append((a + start, b))
    return spans


@cache
def load() -> Model | None:
    """The shipped model, or None when the file is missing or unreadable."""
    try:
        with np.load(MODEL_PATH, allow_pickle=False) as data:
            return Model({k: data[k] for k in data.files})
    except (OSError, ValueError, KeyError):
        return None


CHUNK = 8000  # tokens tagged at once: bounded memory on multi-megabyte articles


def tag(toks: list[Token], quotes) -> tuple[list, list, list]:
    """Cue spans, per-token cue probabilities and source spans for an article.

    Long articles are tagged in chunks that end at sentence boundaries (every feature is
    local to a ±3 window or to the sentence), so time and memory stay linear.
    """
    model = load()
    if model is None or not toks:
        return [], [], []
    iq = quote_mask(toks, quotes)
    cues: list[tuple[int, int]] = []
    sources: list[tuple[int, int]] = []
    prob: list[float] = []
    n = len(toks)
    a = 0
    while a < n:
        b = min(n, a + CHUNK)
        if b < n:
            k = b
            while k > a + CHUNK // 2 and toks[k].sent == toks[k - 1].sent:
                k -= 1
            b = k if k > a + CHUNK // 2 else b
        c, p, s = _tag_chunk(model, toks[a:b], iq[a:b])
        cues.extend((x + a, y + a) for x, y in c)
        sources.extend((x + a, y + a) for x, y in s)
        prob.extend(p)
        a = b
    return cues, prob, sources


def _tag_chunk(model: Model, toks: list[Token], iq: np.ndarray) -> tuple[list, list, list]:
    base, off, aux = model.base_features(toks, iq)
    scores = model.cue_pass(base, off, aux, iq)[1]
    cues = decode(scores)
    prob = _not_o(scores).tolist()
    return cues, prob, decode(model.source_pass(base, off, aux, scores, cues))
