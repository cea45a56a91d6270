"""RSS/Atom parsing with feedparser, from bytes only.

feedparser.parse() treats a ``str`` as a URL or file path and would fetch or open it, so it only
ever gets a BytesIO here. External entities are not resolved: feedparser's strict (SAX) parser
runs with external general entities off, and its pre-processing drops ENTITY declarations
that are not plain text (tested in tests/fetching/test_feeds.py).
"""

from __future__ import annotations

import calendar
import contextlib
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import html as lxml_html

__all__ = ["Feed", "FeedEntry", "FeedError", "parse_feed"]


class FeedError(Exception):
    """The bytes are not a usable RSS/Atom feed; `reason` is shown to editors."""

    transient = False

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FeedEntry:
    """One feed item; `url` is absolute http(s) or None."""

    url: str | None
    title: str | None
    published: datetime | None  # aware (UTC); falls back to the entry's updated date
    guid: str | None
    summary: str | None  # plain text (markup removed)


@dataclass(frozen=True)
class Feed:
    """A parsed feed."""

    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    link: str | None = None
    version: str | None = None  # e.g. "rss20", "atom10"
    warning: str | None = None  # set when the feed was malformed but still yielded entries


def parse_feed(xml_bytes: bytes, *, base_url: str, content_type: str | None = None) -> Feed:
    """Parse feed bytes; relative links resolve against `base_url`. Raise FeedError if unusable."""
    if not isinstance(xml_bytes, bytes | bytearray):
        raise TypeError("parse_feed() takes bytes, never a URL or path")
    if not xml_bytes.strip():
        raise FeedError("The feed is empty")
    # Without a content type feedparser flags every feed as suspect ("no Content-type specified").
    response_headers = {
        "content-location": base_url,
        "content-type": content_type or "application/xml",
    }
    try:
        parsed = feedparser.parse(
            io.BytesIO(bytes(xml_bytes)),
            response_headers=response_headers,
            resolve_relative_uris=True,
            sanitize_html=True,
        )
    except Exception as exc:  # feedparser is lenient, but hostile input can still break it
        raise FeedError(f"Could not read the feed ({type(exc).__name__})") from exc

    entries = [_entry(e, base_url) for e in parsed.entries]
    meta = parsed.feed
    problem = None
    if parsed.bozo:
        problem = str(parsed.get("bozo_exception") or "malformed XML").strip() or "malformed XML"
    if not entries and (not parsed.version or problem):
        if problem:
            raise FeedError(f"Not a valid RSS or Atom feed ({problem})")
        raise FeedError("Not an RSS or Atom feed")
    return Feed(
        title=_text(meta.get("title")),
        entries=entries,
        link=_absolute(meta.get("link"), base_url),
        version=parsed.version or None,
        warning=problem,
    )


def _entry(entry, base_url: str) -> FeedEntry:
    return FeedEntry(
        url=_absolute(entry.get("link"), base_url),
        title=_text(entry.get("title")),
        published=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
        guid=(entry.get("id") or "").strip() or None,
        summary=_text(entry.get("summary")),
    )


def _absolute(link: str | None, base_url: str) -> str | None:
    """Absolute http(s) URL or None (javascript:, data: and the like are dropped)."""
    if not link or not link.strip():
        return None
    absolute = urljoin(base_url, link.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _when(struct) -> datetime | None:
    """feedparser's parsed dates are UTC struct_time."""
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _text(value: str | None) -> str | None:
    """Plain text of a (sanitised) HTML fragment, whitespace collapsed."""
    if not value or not value.strip():
        return None
    if "<" in value or "&" in value:
        # On a parse failure keep the raw text rather than lose the field.
        with contextlib.suppress(Exception):
            value = lxml_html.fromstring(f"<div>{value}</div>").text_content()
    value = " ".join(value.split())
    return value or None
