"""extract_article() and canonicalize_url(): offline, from bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from claims.fetching import ExtractionError, canonicalize_url, extract_article
from claims.fetching.article import decode_html

FIXTURE = Path(__file__).parent / "fixtures" / "article.html"
URL = "https://www.dailyplanet.example/politics/2024/03/05/bridge-costs?utm_source=tw"


@pytest.fixture(scope="module")
def article():
    return extract_article(FIXTURE.read_bytes(), url=URL)


def test_extracts_title_authors_date_and_metadata(article):
    assert article.title == "Mayor’s claim that bridge costs doubled is disputed"
    assert article.authors == ["Lois Lane", "Jimmy Olsen"]
    assert article.published == datetime(2024, 3, 5, 14, 30, tzinfo=timezone(timedelta(hours=1)))
    assert article.published.tzinfo is not None
    assert article.language == "en"
    assert (
        article.canonical_url == "https://www.dailyplanet.example/politics/2024/03/05/bridge-costs"
    )
    assert article.description == "Council figures show a rise of 58 percent, not 100 percent."
    assert article.site_name == "The Daily Planet"


def test_body_text_keeps_paragraphs_and_drops_boilerplate(article):
    text = article.text
    assert "an increase of 58 percent." in text
    assert "“We were promised a cheap bridge" in text
    for boilerplate in (
        "cookies",
        "Privacy",
        "All rights reserved",
        "Subscribe to my channel",
        "Sport",
    ):
        assert boilerplate not in text
    lines = text.split("\n")
    assert lines[1].startswith("The mayor of Metropolis said on Tuesday")
    assert all(line.strip() == line and line for line in lines)  # one block per line, trimmed


def test_body_text_is_stable_across_runs(article):
    again = extract_article(FIXTURE.read_bytes(), url=URL)
    assert again.text == article.text


def test_statement_offsets_point_into_the_returned_text(article):
    sentence = "the budget rose from 25.3 million euros in 2020 to 40 million euros this year"
    start = article.text.index(sentence)
    assert article.text[start : start + len(sentence)] == sentence


def _page(body: str, head: str = "") -> str:
    filler = " ".join(["The committee reviewed the figures again in detail."] * 4)
    return (
        f"<html><head>{head}</head><body><article>"
        f"<p>{body} {filler}</p><p>{filler}</p></article></body></html>"
    )


def test_charset_from_http_header_is_used():
    html = _page("Café in Zürich costs 5 €").encode("cp1252")
    result = extract_article(html, url="https://n.example/a", content_type_charset="windows-1252")
    assert "Café in Zürich costs 5 €" in result.text


def test_charset_from_meta_tag_is_used():
    html = _page("Ελλάδα και Κύπρος", head='<meta charset="iso-8859-7">').encode("iso-8859-7")
    assert "Ελλάδα και Κύπρος" in extract_article(html, url="https://n.example/a").text


def test_latin1_label_is_decoded_as_windows_1252_like_browsers():
    # “curly quotes” are 0x93/0x94 in windows-1252, which pages often label as iso-8859-1.
    data = "“quoted”".encode("cp1252")
    assert decode_html(data, "iso-8859-1") == "“quoted”"


def test_undeclared_non_utf8_page_is_guessed():
    html = _page("Städte und Gemeinden müssen größere Beträge zahlen").encode("cp1252")
    text = extract_article(html, url="https://n.example/a").text
    assert "Städte und Gemeinden müssen größere Beträge zahlen" in text


def test_broken_html_is_extracted_best_effort():
    broken = (
        "<html><body><div><p>Unclosed paragraph about the election results in the north "
        "<p>Another <b>bold claim that turnout reached 71 percent, the highest since 1998 "
        "according to the electoral commission's provisional figures<div><p>Tail text with "
        "more detail about the counting process and the recount requested by two parties"
    )
    result = extract_article(broken.encode(), url="https://n.example/broken")
    assert "turnout reached 71 percent" in result.text
    assert result.published is None


@pytest.mark.parametrize(
    "html",
    [b"", b"   ", b"<html><body></body></html>", b"\x00\xff\x00garbage"],
)
def test_page_without_article_text_raises_clear_error(html):
    with pytest.raises(ExtractionError) as info:
        extract_article(html, url="https://n.example/empty")
    assert info.value.reason.startswith("No article text found")


def test_naive_published_time_is_taken_as_utc():
    html = _page(
        "Prices rose.",
        head='<meta property="article:published_time" content="2024-01-02T08:00:00">',
    )
    published = extract_article(html, url="https://n.example/a").published
    assert published == datetime(2024, 1, 2, 8, 0, tzinfo=UTC)


def test_extraction_never_opens_a_connection(connect_log):
    html = _page(
        "Body.",
        head='<link rel="canonical" href="http://10.0.0.1/x"><img src="http://10.0.0.1/i.png">',
    )
    result = extract_article(html, url="https://n.example/a")
    assert result.canonical_url == "http://10.0.0.1/x"  # reported, never fetched
    assert connect_log.attempts == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://News.Example/Path?b=2&a=1#section", "https://news.example/Path?a=1&b=2"),
        ("http://news.example:80/a", "http://news.example/a"),
        ("https://news.example:443", "https://news.example/"),
        ("https://news.example:8443/a", "https://news.example:8443/a"),
        ("https://news.example/a?utm_source=x&utm_medium=y&id=7", "https://news.example/a?id=7"),
        ("https://news.example/a?fbclid=abc&gclid=def", "https://news.example/a"),
        (
            "https://news.example/a?q=caf%C3%A9&ref=home",
            "https://news.example/a?q=caf%C3%A9&ref=home",
        ),
        ("https://user:pw@news.example/a", "https://news.example/a"),
        ("https://bücher.example/a", "https://xn--bcher-kva.example/a"),
    ],
)
def test_canonicalize_url(url, expected):
    assert canonicalize_url(url) == expected


def test_canonicalize_url_is_idempotent():
    once = canonicalize_url("HTTP://A.example:80/x?utm_campaign=1&z=1&b=2#f")
    assert canonicalize_url(once) == once
