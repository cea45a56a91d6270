"""HTML → article fields with trafilatura, plus URL canonicalisation for duplicate detection.

trafilatura only ever gets a decoded ``str`` here: it never fetches anything itself, and since it
receives text rather than bytes its own "maybe this is compressed" guessing is not involved.

Body text format (statement offsets refer to it, so it must stay stable): exactly trafilatura's
plain-text output (``bare_extraction(...).text``): one block (heading, paragraph, list item,
table row) per line, blocks separated by a single ``"\\n"``, no leading/trailing whitespace. The
stored text is the reference for offsets; never re-extract to recompute them, since another
trafilatura version may segment differently.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import trafilatura
from lxml import html as lxml_html

__all__ = ["ArticleData", "ExtractionError", "canonicalize_url", "decode_html", "extract_article"]


class ExtractionError(Exception):
    """No usable article could be extracted; `reason` is shown to editors."""

    transient = False

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ArticleData:
    """What Claimdesk keeps of an article page."""

    title: str | None
    text: str
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None  # timezone-aware; UTC assumed when the page gives none
    language: str | None = None  # primary language subtag, lowercase ("en", "de")
    canonical_url: str | None = None  # absolute; from <link rel=canonical>/og:url, else `url`
    description: str | None = None
    site_name: str | None = None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# As in browsers (WHATWG Encoding): these labels really mean windows-1252 on the web.
_WEB_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252",
                "us-ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252"}  # fmt: skip
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    label = _WEB_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode page bytes: BOM, then the HTTP charset, then <meta>/XML declaration, then UTF-8."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace")
    head = data[:4096]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    for label in (charset, declared.group(1).decode("ascii") if declared else None):
        codec = _codec(label)
        if codec is not None:
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # installed with trafilatura

    best = from_bytes(data[:65536]).best()
    codec = _codec(best.encoding) if best is not None else None
    return data.decode(codec or "cp1252", errors="replace")


def extract_article(
    html: bytes | str, *, url: str, content_type_charset: str | None = None
) -> ArticleData:
    """Extract title, body text and metadata; raise ExtractionError if there is no body text."""
    text_html = html if isinstance(html, str) else decode_html(html, content_type_charset)
    # XML declarations with an encoding make lxml refuse str input; the text is already decoded.
    text_html = re.sub(r"^\s*<\?xml[^>]*\?>", "", text_html, count=1)
    if not text_html.strip():
        raise ExtractionError("No article text found (the page is empty)")
    try:
        doc = trafilatura.bare_extraction(
            text_html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            date_extraction_params={
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
                "original_date": True,
                "extensive_search": False,
            },
        )
    except Exception as exc:  # trafilatura/lxml raise various errors on hostile input
        raise ExtractionError(f"Could not read the page ({type(exc).__name__})") from exc
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        raise ExtractionError("No article text found")

    tree = _parse_tree(text_html)
    return ArticleData(
        title=_clean(doc.title),
        text=doc.text,
        authors=_split_authors(doc.author),
        published=_published_from_markup(tree) or _parse_date(doc.date),
        language=_language(tree),
        canonical_url=_canonical(tree, doc.url, url),
        description=_clean(doc.description),
        site_name=_clean(doc.sitename),
    )


def _parse_tree(text_html: str):
    try:
        return lxml_html.fromstring(text_html)
    except Exception:  # metadata is best effort; the body was already extracted
        return None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _split_authors(value: str | None) -> list[str]:
    """trafilatura joins authors with "; "; split, trim and de-duplicate, keeping order."""
    seen: list[str] = []
    for name in (value or "").split(";"):
        name = " ".join(name.split())
        if name and name not in seen:
            seen.append(name)
    return seen


_PUBLISHED_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//*[@itemprop='datePublished']/@datetime",
    "//meta[@property='og:published_time']/@content",
    "//meta[@name='date' or @name='pubdate' or @name='publish-date']/@content",
)
_JSONLD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')


def _published_from_markup(tree) -> datetime | None:
    """Full timestamp (with zone) from the page's explicit publication metadata, if any.

    htmldate often keeps only the day; the explicit article:published_time / datePublished
    values carry the time and offset, which matter for "said on Tuesday" style checks.
    """
    if tree is None:
        return None
    values = [v for xp in _PUBLISHED_XPATHS for v in tree.xpath(xp)]
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        values += _JSONLD_PUBLISHED.findall(script)
    for value in values:
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            continue
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    return None


def _parse_date(value: str | None) -> datetime | None:
    """Parse htmldate's output; a date without zone or time is taken as UTC midnight."""
    if not value:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value.strip(), fmt)  # noqa: DTZ007 - zone handled below
        except ValueError:
            continue
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    return None


def _language(tree) -> str | None:
    """Primary subtag of <html lang>, else of og:locale / content-language."""
    if tree is None:
        return None
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    candidates += tree.xpath("//meta[@property='og:locale']/@content")
    candidates += tree.xpath(
        "//meta[translate(@http-equiv,'CONTENTLANGUAG','contentlanguag')='content-language']"
        "/@content"
    )
    for value in candidates:
        primary = re.split(r"[-_,\s]", (value or "").strip())[0].lower()
        if re.fullmatch(r"[a-z]{2,3}", primary):
            return primary
    return None


def _canonical(tree, extracted: str | None, page_url: str) -> str | None:
    """<link rel=canonical> (resolved), else trafilatura's og:url pick, else the page URL."""
    hrefs = []
    if tree is not None:
        hrefs = tree.xpath(
            "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
        )
    for candidate in [*hrefs, extracted]:
        if candidate and candidate.strip():
            absolute = urljoin(page_url, candidate.strip())
            if urlsplit(absolute).scheme in ("http", "https"):
                return absolute
    return page_url


# Tracking parameters dropped by canonicalize_url (prefixes end with "_").
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_TRACKING_NAMES = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid",
     "igshid", "_ga", "_gl", "oly_anon_id", "oly_enc_id", "vero_id", "__s", "ocid"}
)  # fmt: skip


def canonicalize_url(url: str) -> str:
    """Normalise `url` for duplicate detection.

    Lowercases scheme and host (IDNA-encoded), drops credentials, the fragment, a default port
    and tracking parameters (utm_*, fbclid, gclid, ...); keeps the other parameters with their
    original encoding, sorted for a stable result; an empty path becomes "/".
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii").lower() if host else host
    except UnicodeError:
        host = host.lower()
    host = host.removesuffix(".")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and {"http": 80, "https": 443}.get(scheme) != port:
        host = f"{host}:{port}"
    kept = []
    for pair in parts.query.split("&"):
        if not pair:
            continue
        name = pair.split("=", 1)[0].lower()
        if name.startswith(_TRACKING_PREFIXES) or name in _TRACKING_NAMES:
            continue
        kept.append(pair)
    return urlunsplit((scheme, host, parts.path or "/", "&".join(sorted(kept)), ""))
