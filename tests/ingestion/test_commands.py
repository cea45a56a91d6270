import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command

from claims import tasks
from claims.models import Article, Outlet
from tests.factories import BODY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def queued(monkeypatch) -> list[tuple[str, int]]:
    """Record queued tasks: the commands' job ends at the queue."""
    calls: list[tuple[str, int]] = []
    for task in (tasks.fetch_article, tasks.extract_article):
        monkeypatch.setattr(task, "delay", lambda pk, _n=task.name: calls.append((_n, pk)))
    return calls


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def jsonl(path, records: list) -> str:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n",
        encoding="utf-8",
    )
    return str(path)


# --- ingest ----------------------------------------------------------------------------------


def test_ingest_urls_reports_created_duplicates_and_bad_ones():
    with pytest.raises(CommandError, match="1 of 3 URL"):
        run(
            "ingest",
            "https://news.example/a",
            "https://news.example/a?utm_source=x",
            "https://",
        )
    assert Article.objects.count() == 1


def test_ingest_url_prints_the_article():
    out, _ = run("ingest", "https://news.example/a", "--outlet", "news.example")
    article = Article.objects.get()
    assert f"Article {article.pk} (queued)" in out
    assert article.outlet.domain == "news.example"
    out, _ = run("ingest", "https://news.example/a")
    assert f"Duplicate of article {article.pk}" in out


def test_ingest_text_file(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(BODY, encoding="utf-8")
    out, _ = run(
        "ingest",
        str(path),
        "--title",
        "Moscow visit",
        "--url",
        "https://news.example/moscow",
        "--published",
        "2024-03-05",
        "--outlet",
        "news.example",
    )
    article = Article.objects.get()
    assert (article.title, article.body, article.origin) == ("Moscow visit", BODY, "text")
    assert article.published_at.date().isoformat() == "2024-03-05"
    assert article.canonical_url == "https://news.example/moscow"
    assert "(fetched)" in out


def test_ingest_text_from_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BODY.encode())))
    run("ingest", "-", "--title", "From stdin")
    assert Article.objects.get().body == BODY


@pytest.mark.django_db(transaction=True)
def test_ingest_sync_runs_the_pipeline_in_process(tmp_path, monkeypatch):
    monkeypatch.undo()  # really run the tasks (eagerly)
    path = tmp_path / "story.txt"
    path.write_text(BODY, encoding="utf-8")
    out, _ = run("ingest", str(path), "--title", "Now", "--sync")
    assert "(extracted)" in out
    assert Article.objects.get().statements.exists()


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["--title", "T"], "", "is empty"),
        (["--title", "T"], "   \n", "is empty"),
        ([], BODY, "needs a title"),
        (["--title", "T", "--published", "soon"], BODY, "ISO 8601"),
        (["--title", "T", "--outlet", "Some Paper"], BODY, "Unknown outlet"),
        (["--title", "T", "--url", "nope"], BODY, "Not a valid http"),
    ],
)
def test_ingest_bad_input_is_a_clear_error(tmp_path, args, content, message):
    path = tmp_path / "story.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("ingest", str(path), *args)
    assert not Article.objects.exists()


def test_ingest_missing_or_binary_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("ingest", str(tmp_path / "nope.txt"), "--title", "T")
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CommandError, match="not UTF-8"):
        run("ingest", str(binary), "--title", "T")


# --- import_articles -------------------------------------------------------------------------


def test_import_jsonl_reports_created_duplicates_and_failures_by_line(
    tmp_path, queued, django_capture_on_commit_callbacks
):
    path = jsonl(
        tmp_path / "articles.jsonl",
        [
            {"url": "https://news.example/1", "outlet": "news.example", "language": "en"},
            {"text": BODY, "title": "Moscow", "published_at": "2024-03-05T10:00:00Z"},
            {"url": "https://news.example/1?utm_source=x"},
            "",
            "{not json",
            {"text": BODY + " ", "title": "Same text"},
            {"title": "no url, no text"},
            {"url": "ftp://news.example/x"},
            {"url": "https://news.example/2", "published_at": "last week"},
            {"text": "Words.", "title": ""},
            {"url": "https://news.example/3", "colour": "red"},
            ["a list"],
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        out, err = run("import_articles", path)
    assert "12 record" not in out  # the blank line is no record
    assert "11 record(s): 2 created, 2 duplicate(s), 7 failed." in out
    assert "line 3: duplicate" in out
    assert "line 6: duplicate" in out
    assert "line 5: not valid JSON" in out
    assert "line 7: needs 'url', or 'text' and 'title'" in out
    assert "line 8: url: Not a valid http(s) URL" in out
    assert "line 9: published_at: Not an ISO 8601" in out
    assert "line 10: a record with 'text' needs a 'title'" in out
    assert "line 11: unknown field(s): colour" in out
    assert "line 12: expected a JSON object, got list" in out
    assert "Traceback" not in out + err
    assert Article.objects.count() == 2
    fetched = Article.objects.get(canonical_url="https://news.example/1")
    assert (fetched.origin, fetched.language, fetched.outlet.domain) == (
        "bulk",
        "en",
        "news.example",
    )
    assert sorted(name for name, _ in queued) == ["claims.extract_article", "claims.fetch_article"]


def test_import_csv(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text(
        "\ufeffurl,title,text,published_at,outlet\n"
        "https://news.example/1,,,2024-03-05,news.example\n"
        f'"",Moscow,"{BODY.replace(chr(34), 2 * chr(34))}",,\n'
        "https://news.example/1,,,,\n"
        ",,,,\n"
        "https://news.example/2,,,bad date,\n"
        "https://news.example/3,,,,,extra\n",
        encoding="utf-8",
    )
    out, _ = run("import_articles", str(path), "--no-progress")
    assert "5 record(s): 2 created, 1 duplicate(s), 2 failed." in out
    assert "line 4: duplicate" in out
    assert "line 6: published_at: Not an ISO 8601" in out
    assert "line 7: more fields than the header" in out
    assert Article.objects.get(title="Moscow").body == BODY
    assert Outlet.objects.filter(domain="news.example").count() == 1


def test_import_twice_creates_nothing_new(tmp_path):
    path = jsonl(tmp_path / "a.jsonl", [{"url": f"https://news.example/{i}"} for i in range(5)])
    run("import_articles", path)
    out, _ = run("import_articles", path)
    assert "5 record(s): 0 created, 5 duplicate(s), 0 failed." in out
    assert Article.objects.count() == 5


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.jsonl", "", "is empty"),
        ("blank.csv", "\n\n", "is empty"),
        ("cols.csv", "link,headline\nhttps://a.example/,A\n", "needs a 'url' column"),
        ("data.txt", '{"url": "https://a.example/"}', "Cannot tell the format"),
        ("bad.jsonl", "{oops\n[1]\n", "Nothing was imported"),
    ],
)
def test_import_bad_files_are_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("import_articles", str(path))
    assert not Article.objects.exists()


def test_import_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import_articles", str(tmp_path / "none.jsonl"))
