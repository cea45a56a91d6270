"""Safe outbound fetching for Claimdesk (no Django imports here).

`fetch`/`post_json` are the only functions that open outbound connections; `guard` decides what
may be connected to; `article` and `feeds` turn fetched bytes into data without fetching.
"""

from .article import ArticleData, ExtractionError, canonicalize_url, extract_article
from .errors import (
    ConnectError,
    ConnectionLost,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    ProtocolError,
    RedirectNotFollowed,
    RefusedAddress,
    ResolutionError,
    TLSError,
    TooLarge,
    TooManyRedirects,
    UnsupportedContentType,
)
from .feeds import Feed, FeedEntry, FeedError, parse_feed
from .fetcher import FetchResult, Redirect, fetch, post_json
from .guard import AddressPolicy

__all__ = [
    "AddressPolicy",
    "ArticleData",
    "ConnectError",
    "ConnectionLost",
    "ExtractionError",
    "Feed",
    "FeedEntry",
    "FeedError",
    "FetchError",
    "FetchResult",
    "FetchTimeout",
    "HTTPStatusError",
    "InvalidURL",
    "ProtocolError",
    "Redirect",
    "RedirectNotFollowed",
    "RefusedAddress",
    "ResolutionError",
    "TLSError",
    "TooLarge",
    "TooManyRedirects",
    "UnsupportedContentType",
    "canonicalize_url",
    "extract_article",
    "fetch",
    "parse_feed",
    "post_json",
]
