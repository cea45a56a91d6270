"""Benchmark ingestion end to end through real Celery workers, against the same work in-process.

Serves N article pages from a local HTTP server, then:
  * in_process: submit_url → fetch_article → extract_statements, called directly, one by one;
  * end_to_end: submit_url from this process, Celery workers on Redis fetch and extract; the
    clock stops when every article is extracted.
Both use a scratch database (created, migrated and dropped here). Flagging, a separate stage
dominated by the neural check-worthiness scorer, is left out of both unless --flagging.

Prints one JSON line per result:
  {"bench": "ingestion", "mode": "in_process"|"end_to_end", "articles": N, "seconds": ...,
   "articles_per_s": ...}
  {"bench": "ingestion_ratio", "end_to_end_over_in_process": ..., "target": 0.5, "ok": ...}
Usage: python bench/bench_ingestion.py [--articles N] [--workers W] [--flagging]
Environment: CLAIMDESK_BENCH_BROKER_URL (default redis://127.0.0.1:6379/14, flushed),
DATABASE_URL (default: the embedded PostgreSQL).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ["CLAIMDESK_FETCH_ALLOWED_NETWORKS"] = "127.0.0.1/32"
os.environ["CLAIMDESK_FETCH_ANY_PORT"] = "1"
BROKER_URL = os.environ.get("CLAIMDESK_BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
FLAG_QUEUE = "bench-flags-not-consumed"


def page(n: int) -> bytes:
    """A small news page with two attributed quotes; `n` makes its text unique."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Budget story {n}</title></head><body><article><h1>Budget story {n}</h1>
<p>The city council of Testville met on Tuesday, session {n}, to discuss the budget for the
coming year, which includes new spending on roads, bridges and schools.</p>
<p>"We will build {n} new schools before the end of the decade," Mayor Jane Doe{n % 50} said.</p>
<p>Opposition members criticised the plan, saying that the city could not afford it with the
current tax revenue. The debate lasted several hours.</p>
<p>"Unemployment fell by {n} percent last year," council member John Roe told reporters.</p>
</article></body></html>""".encode()


class Pages(BaseHTTPRequestHandler):
    """Serves /news/<n> as article n."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_GET(self) -> None:
        try:
            body = page(int(self.path.rsplit("/", 1)[-1]))
            status = 200
        except ValueError:
            body, status = b"not found", 404
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


def run_worker(argv: list[str]) -> None:
    """Entry point of the worker subprocesses (`bench_ingestion.py --worker ...`)."""
    from config.celery import app

    # A killed or slow run must not wait an hour for redelivery; flagging may be left queued.
    app.conf.broker_transport_options = {"visibility_timeout": 60}
    if os.environ.get("CLAIMDESK_BENCH_SKIP_FLAGGING"):
        app.conf.task_routes = {"claims.flag_article": {"queue": FLAG_QUEUE}}
    app.worker_main(argv)


def database_url(db: dict) -> str:
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host, port = db.get("HOST") or "", db.get("PORT") or ""
    if host.startswith("/"):
        return f"postgres://{auth}@/{db['NAME']}?host={quote(host, safe='/')}&port={port or 5432}"
    return f"postgres://{auth}@{host}{':' + str(port) if port else ''}/{db['NAME']}"


@contextlib.contextmanager
def scratch_database():
    """Create and migrate a throwaway database; point Django at it; drop it afterwards."""
    import django
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    name = f"claimdesk_bench_{os.getpid()}"
    admin = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
        **{k: v for k, v in db.get("OPTIONS", {}).items() if k in ("host", "port")},
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    db["NAME"] = name
    db["CONN_MAX_AGE"] = 600
    try:
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield db
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def in_process(urls: list[str], *, flagging: bool) -> float:
    """Run every stage for each URL in this process; return the seconds taken."""
    from claims import tasks
    from claims.services import extraction, ingestion
    from claims.services import flagging as flags

    # Only the direct calls below do work: nothing is queued.
    for task in (tasks.fetch_article, tasks.extract_article, tasks.flag_article):
        task.delay = lambda *a, **k: None
    start = time.perf_counter()
    for url in urls:
        article = ingestion.submit_url(url=url).article
        ingestion.fetch_article(article_id=article.pk)
        extraction.extract_statements(article_id=article.pk)
        if flagging:
            flags.flag_article_statements(article_id=article.pk)
    return time.perf_counter() - start


def end_to_end(urls: list[str], *, workers: int, flagging: bool, db: dict) -> float:
    """Submit every URL here and let Celery workers do the rest; return the seconds taken."""
    import redis
    from celery import current_app

    from claims import tasks
    from claims.models import Article, Statement
    from claims.services import ingestion

    for task in (tasks.fetch_article, tasks.extract_article, tasks.flag_article):
        with contextlib.suppress(AttributeError):
            del task.delay  # undo the in-process stubs
    redis.Redis.from_url(BROKER_URL).flushdb()
    current_app.conf.broker_url = BROKER_URL
    current_app._pool = None
    current_app.amqp._producer_pool = None
    env = {
        **os.environ,
        "DATABASE_URL": database_url(db),
        "CELERY_BROKER_URL": BROKER_URL,
        # The queue name follows the database the settings were loaded with, which here is
        # not the bench database: give the worker the queue this process sends to.
        "CELERY_QUEUE": current_app.conf.task_default_queue,
        "CONN_MAX_AGE": "600",
    }
    if not flagging:
        env["CLAIMDESK_BENCH_SKIP_FLAGGING"] = "1"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        "worker",
        "--loglevel",
        "WARNING",
        "--concurrency",
        str(workers),
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--hostname",
        f"bench-{os.getpid()}@%h",
    ]
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-ingestion-worker-{os.getpid()}.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        # Warm the worker up (imports, connections) before the clock starts.
        warm = ingestion.submit_url(url=urls[0].rsplit("/", 1)[0] + "/999999999").article
        deadline = time.monotonic() + 120
        while Article.objects.get(pk=warm.pk).state != Article.State.EXTRACTED:
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"The worker did not start; see {log}")
            time.sleep(0.1)
        start = time.perf_counter()
        ids = [ingestion.submit_url(url=url).article.pk for url in urls]
        done = Article.objects.filter(pk__in=ids, state=Article.State.EXTRACTED)
        scored = Statement.objects.filter(article_id__in=ids, check_worthiness__isnull=False)
        while done.count() < len(ids) or (
            flagging and scored.count() < Statement.objects.filter(article_id__in=ids).count()
        ):
            if worker.poll() is not None:
                raise SystemExit(f"The worker died; see {log}")
            if time.perf_counter() - start > 60 + len(ids):
                raise SystemExit(f"Timed out with {done.count()}/{len(ids)} extracted; see {log}")
            time.sleep(0.05)
        return time.perf_counter() - start
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        redis.Redis.from_url(BROKER_URL).flushdb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--flagging", action="store_true", help="include the flagging stage")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/news/"
    n = args.articles
    results = {}
    with scratch_database() as db:
        # Distinct pages for each mode: the second run must not find duplicates.
        results["in_process"] = in_process([f"{base}{i}" for i in range(n)], flagging=args.flagging)
        results["end_to_end"] = end_to_end(
            [f"{base}{i}" for i in range(n, 2 * n)],
            workers=args.workers,
            flagging=args.flagging,
            db=db,
        )
    server.shutdown()
    rates = {}
    for mode, seconds in results.items():
        rates[mode] = n / seconds
        line = {
            "bench": "ingestion",
            "mode": mode,
            "articles": n,
            "seconds": round(seconds, 2),
            "articles_per_s": round(rates[mode], 1),
            "flagging": args.flagging,
        }
        if mode == "end_to_end":
            line["worker_processes"] = args.workers
        print(json.dumps(line), flush=True)
    ratio = rates["end_to_end"] / rates["in_process"]
    print(
        json.dumps(
            {
                "bench": "ingestion_ratio",
                "end_to_end_over_in_process": round(ratio, 2),
                "target": 0.5,
                "ok": ratio >= 0.5,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        run_worker(sys.argv[2:])
    else:
        main()
