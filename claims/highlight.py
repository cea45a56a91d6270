"""Render an article body with its statements highlighted where they stand."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

KIND_CLASS = {"direct": "cd-direct", "indirect": "cd-indirect", "mixed": "cd-mixed"}


def highlight_body(body: str, statements: Iterable) -> SafeString:
    """Return ``body`` as HTML paragraphs with each statement in a <mark> naming its speaker.

    Overlapping statements (a quoted fragment inside reported speech) keep the first, outer one.
    """
    parts: list[str] = []
    cursor = 0
    for st in sorted(statements, key=lambda s: (s.start, -s.end)):
        if st.start < cursor or st.end > len(body):
            continue
        parts.append(escape(body[cursor : st.start]))
        speaker = st.speaker.name if st.speaker_id else (st.speaker_mention or "unknown speaker")
        parts.append(
            format_html(
                '<mark class="cd-statement {}" id="statement-{}" title="{} — {} ({})">{}</mark>'
                '<sup class="cd-speaker">{}</sup>',
                KIND_CLASS.get(st.kind, ""),
                st.pk,
                speaker,
                st.cue or "no cue",
                st.kind,
                body[st.start : st.end],
                speaker,
            )
        )
        cursor = st.end
    parts.append(escape(body[cursor:]))
    html = "".join(parts)
    # The text is escaped above; only our own <mark>, <p> and <br> tags are trusted.
    return mark_safe("".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in html.split("\n\n")))
