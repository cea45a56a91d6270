"""Quotation scanning: find quoted passages in every common typographic style.

One left-to-right pass over the quotation marks and newlines (found with a single-character
regex), keeping a stack of open marks. Handles straight and curly double/single quotes,
« », ‹ ›, „ “ / ‚ ‘ (German), 「 」, nesting, and quotes running over several paragraphs where
the opening mark is repeated at the start of every paragraph and the closing mark appears only
at the end. A quote still open at a paragraph end that the next paragraph does not continue is
closed there and flagged ``terminated=False``. A paragraph that opens with a closing mark
(”… they are so not like him,”, often after an invisible U+202A) opens a quote with it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Two straight apostrophes ('') are a double quotation mark in some newswire styles.
_MARK_RE = re.compile("''|[\"'“”‘’«»„‚‹›「」『』\n]")
_NON_SPACE_RE = re.compile(r"\S")

# Closing marks accepted for each opening mark.
_CLOSERS: dict[str, str] = {
    "''": "''\"”",
    "“": '”"',
    '"': '"”',
    "„": '“”"',
    "‘": "’'",
    "'": "'’",
    "‚": "‘’",
    "«": "»",
    "‹": "›",
    "「": "」",
    "『": "』",
    "”": '”"',
}
# Opening marks that may start a continued paragraph of the same quote.
_FAMILY: dict[str, str] = {
    "''": "'\"“",
    "“": '“"',
    '"': '"“',
    "„": "„»“",
    "‘": "‘'",
    "'": "'‘",
    "‚": "‚",
    "«": "«",
    "‹": "‹",
    "「": "「",
    "『": "『",
    "”": '”“"',
}
_OPEN_CONTEXT = " \t\r\n([{—–-/:;,…"  # characters that may precede an opening mark


@dataclass(slots=True)
class Quote:
    """A quoted passage: ``start:end`` are the words inside the marks."""

    open: int  # offset of the opening mark
    close: int  # offset just after the closing mark (== end when unterminated)
    start: int
    end: int
    mark: str
    depth: int  # 0 for a top-level quote, 1 for a quote inside a quote, ...
    terminated: bool = True
    reopened: list[int] = field(default_factory=list)  # repeated opening marks (multi-paragraph)

    @property
    def paragraphs(self) -> int:
        return 1 + len(self.reopened)


def _trim_end(text: str, pos: int, floor: int) -> int:
    """Move pos left over whitespace, never below floor."""
    while pos > floor and text[pos - 1].isspace():
        pos -= 1
    return pos


def _keep(text: str, q: Quote, found: list[Quote]) -> None:
    """Trim inner whitespace (« Bonjour ») and record the quote unless it is empty."""
    while q.start < q.end and text[q.start].isspace():
        q.start += 1
    q.end = _trim_end(text, q.end, q.start)
    # An unterminated single mark is far more often an apostrophe (‘90s) than a quote.
    if q.end > q.start and (q.terminated or q.mark not in "‘'‚"):
        found.append(q)


def _opens_paragraph(text: str, i: int) -> bool:
    """Nothing but a few spaces or invisible format characters (U+202A, ...) before offset i
    since the last newline: a closing mark there opens a quote (”… they are so not like him,”)."""
    k = i
    while (
        k > 0
        and i - k < 4
        and (text[k - 1] in " \t\u00a0" or unicodedata.category(text[k - 1]) == "Cf")
    ):
        k -= 1
    return k == 0 or text[k - 1] == "\n"


def find_quotes(text: str) -> list[Quote]:
    """Return all quotations in ``text`` ordered by opening offset."""
    found: list[Quote] = []
    stack: list[Quote] = []
    skip: set[int] = set()
    n = len(text)
    for m in _MARK_RE.finditer(text):
        i = m.start()
        c = m.group()
        if c == "\n":
            if not stack:
                continue
            nxt = _NON_SPACE_RE.search(text, i)
            top = stack[0]
            if (
                nxt is not None
                and text[nxt.start()] in _FAMILY[top.mark]
                and not (top.mark in "'‘" and text.startswith("''", nxt.start()))
            ):
                # The next paragraph repeats the opening mark: the quote goes on.
                j = nxt.start()
                if j not in skip:
                    skip.add(j)
                    top.reopened.append(j)
                del stack[1:]
                continue
            # The paragraph ends with the quote still open: close it here, unterminated.
            end = _trim_end(text, i, top.start)
            top.end = top.close = end
            top.terminated = False
            _keep(text, top, found)
            stack.clear()
            continue
        if i in skip:
            continue
        w = len(c)
        prev = text[i - 1] if i > 0 else "\n"
        nxt_c = text[i + w] if i + w < n else "\n"
        # 1) Does it close an open quote?
        closer_idx = -1
        for k in range(len(stack) - 1, -1, -1):
            if c in _CLOSERS[stack[k].mark]:
                closer_idx = k
                break
        if closer_idx >= 0:
            q = stack[closer_idx]
            is_single = c in "'’"
            if is_single and (nxt_c.isalnum() or prev.isspace()):
                closer_idx = -1  # an apostrophe (don't, '90s), not a closing mark
            elif c == "“" and q.mark != "„" and prev.isspace() and not nxt_c.isspace():
                closer_idx = -1  # looks like an opening mark: nested quote instead
        if closer_idx >= 0:
            q = stack[closer_idx]
            del stack[closer_idx:]  # marks opened inside and never closed are dropped
            q.end = i
            q.close = i + w
            _keep(text, q, found)
            continue
        # 2) Does it open a quote?
        if c == "”" and (stack or not _opens_paragraph(text, i)):
            continue
        if c in _CLOSERS:
            if c in "'":
                if not (prev in _OPEN_CONTEXT or prev in _CLOSERS) or not nxt_c.isalnum():
                    continue  # apostrophe
                if nxt_c.isdigit():
                    continue  # an elided century: '90s, '08
            elif c in ('"', "''"):
                if nxt_c.isspace():
                    continue  # a stray mark (inches, typo)
            elif c == "‘" and (nxt_c.isspace() or prev.isalnum()):
                continue
            stack.append(Quote(i, i + w, i + w, i + w, c, len(stack)))
    if stack:
        top = stack[0]
        top.end = top.close = _trim_end(text, n, top.start)
        top.terminated = False
        _keep(text, top, found)
    found.sort(key=lambda q: q.open)
    return found
