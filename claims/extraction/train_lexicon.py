"""Learn ``cue_lexicon.json`` from an attribution corpus (PolNeAR train split layout).

Usage: ``python -m claims.extraction.train_lexicon ../shared/eval/attribution/polnear-train.jsonl``

For every annotated cue, the head word (first non-auxiliary word) is counted, as well as the
words after the head inside the cue (the "tail": "called *for*", "according *to*"). Every word
form's total number of occurrences is counted too, so that the extractor can trust only forms
that are usually cues. Only counts are stored: no text from the corpus.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from .cues import head_index
from .text import tokenize


def train(paths: list[str]) -> dict:
    """Count cue heads, their tails and all word forms in the given JSONL files."""
    as_cue: Counter[str] = Counter()
    total: Counter[str] = Counter()
    tails: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                row = json.loads(line)
                text = row["text"]
                total.update(t.low for t in tokenize(text) if t.is_word)
                seen: set[tuple[int, int]] = set()
                for att in row["attributions"]:
                    cue = att.get("cue")
                    if not cue or tuple(cue) in seen:
                        continue
                    seen.add(tuple(cue))
                    toks = [t for t in tokenize(text[cue[0] : cue[1]]) if t.is_word]
                    if not toks:
                        continue
                    h = head_index(toks)
                    as_cue[toks[h].low] += 1
                    tail = " ".join(t.low for t in toks[h + 1 : h + 4])
                    if tail:
                        tails[toks[h].low][tail] += 1
    heads = {w: [n, total[w]] for w, n in as_cue.items() if n >= 2}
    # How often each learned tail follows its head anywhere, cue or not ("said of" is rarely
    # annotated as one cue even though it occurs often).
    wanted = {(w, t) for w, c in tails.items() if w in heads for t, n in c.items() if n >= 2}
    follows: Counter[tuple[str, str]] = Counter()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                words = [t.low for t in tokenize(json.loads(line)["text"]) if t.is_word]
                for i, w in enumerate(words):
                    for size in (1, 2, 3):
                        key = (w, " ".join(words[i + 1 : i + 1 + size]))
                        if key in wanted:
                            follows[key] += 1
    return {
        "heads": dict(sorted(heads.items())),
        "tails": {
            w: {t: [n, follows[(w, t)]] for t, n in sorted(c.items()) if n >= 2}
            for w, c in sorted(tails.items())
            if w in heads and any(n >= 2 for n in c.values())
        },
    }


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(__file__).with_name("cue_lexicon.json")
    data = train(argv)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=0, sort_keys=True)
        f.write("\n")
    print(f"wrote {out} ({len(data['heads'])} heads)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
