"""Fixtures for the ingestion tests: a local news site, fetch settings, a real Celery worker."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from tests.fetching.conftest import LocalServer

ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = os.environ.get("CLAIMDESK_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")


def article_html(n: int, *, speaker: str | None = None) -> bytes:
    """A small news page with two attributed quotes; `n` makes its text unique."""
    speaker = speaker or f"Jane Doe{n}"
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Budget story {n}</title></head><body><article><h1>Budget story {n}</h1>
<p>The city council of Testville met on Tuesday, session {n}, to discuss the budget for the
coming year, which includes new spending on roads, bridges and schools.</p>
<p>"We will build {n} new schools before the end of the decade," Mayor {speaker} said.</p>
<p>Opposition members criticised the plan, saying that the city could not afford it with the
current tax revenue. The debate lasted several hours.</p>
<p>"Unemployment fell by {n} percent last year," council member John Roe told reporters.</p>
</article></body></html>""".encode()


class NewsSite(LocalServer):
    """The local test server, addressed by its IP literal so that no DNS is involved."""

    def article(self, n: int, path: str | None = None, **kwargs) -> str:
        """Serve article `n` and return its URL."""
        path = path or f"/news/{n}"
        self.static(path, article_html(n, **kwargs))
        return self.url(path)

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return super().url(path, host=host)


@pytest.fixture
def site() -> Iterator[NewsSite]:
    srv = NewsSite().start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _fetch_local(settings) -> None:
    """Let the fetcher reach the loopback test server on its random port."""
    settings.CLAIMDESK = {
        **settings.CLAIMDESK,
        "FETCH_ALLOWED_NETWORKS": ["127.0.0.1/32"],
        "FETCH_ANY_PORT": True,
        "FETCH_TIMEOUT": 5.0,
    }


# --- A real Celery worker on Redis, sharing the test database ---------------------------------


def database_url(settings_dict: dict) -> str:
    """Build a DATABASE_URL for `settings_dict` (the embedded server listens on a socket)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else f"{user}@"
    host, port = settings_dict.get("HOST") or "", settings_dict.get("PORT") or ""
    name = settings_dict["NAME"]
    if host.startswith("/"):
        # A socket directory cannot sit in the URL's host part: libpq takes it as a parameter.
        query = f"?host={quote(host, safe='/')}" + (f"&port={port}" if port else "")
        return f"postgres://{auth}/{name}{query}"
    return f"postgres://{auth}{host}{':' + str(port) if port else ''}/{name}"


def worker_env(settings_dict: dict, **extra: str) -> dict[str, str]:
    """The environment of a worker that shares the test database and the test broker."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(settings_dict),
        "CELERY_BROKER_URL": BROKER_URL,
        # The worker's database name differs (the test database): share the test's queue.
        "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "CLAIMDESK_FETCH_ALLOWED_NETWORKS": "127.0.0.1/32",
        "CLAIMDESK_FETCH_ANY_PORT": "1",
        "CLAIMDESK_FETCH_TIMEOUT": "5",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-secret-key"),
        "CONN_MAX_AGE": "60",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


class Worker:
    """A Celery worker subprocess in its own process group (so SIGKILL reaches its children)."""

    def __init__(self, env: dict[str, str], *, concurrency: int = 2, log: Path) -> None:
        self.env = env
        self.concurrency = concurrency
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        command = [
            sys.executable,
            "-m",
            "tests.ingestion.celery_worker",
            "worker",
            "--loglevel",
            "INFO",
            "--pool",
            "prefork",
            "--concurrency",
            str(self.concurrency),
            "--hostname",
            f"ingest-test-{os.getpid()}-{time.monotonic_ns()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--queues",
            self.env["CELERY_QUEUE"],
        ]
        out = self.log.open("ab")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 40.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The worker exited:\n{self.log.read_text()[-3000:]}")
            if b" ready." in self.log.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError(f"The worker did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (the worker and its pool processes)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        """Stop gracefully, then make sure nothing of the group survives."""
        if self.process is None:
            return
        pid = self.process.pid
        self.kill(signal.SIGTERM)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def flush_test_broker() -> None:
    """Empty the test broker's Redis database (and only that one)."""
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()


@pytest.fixture(scope="module")
def broker() -> Iterator[str]:
    """Point this process's Celery app at the test broker, emptied; restore it afterwards."""
    from config.celery import app

    try:
        flush_test_broker()
    except Exception as exc:
        pytest.skip(f"Redis is not reachable at {BROKER_URL}: {exc}")
    previous = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url, app.conf.broker_transport_options = BROKER_URL, {}
    # Drop the connection pools built for the old broker URL.
    app._pool = None
    app.amqp._producer_pool = None
    yield BROKER_URL
    app.conf.broker_url, app.conf.broker_transport_options = previous
    app._pool = None
    app.amqp._producer_pool = None
    flush_test_broker()


@pytest.fixture
def start_worker(broker: str, transactional_db, tmp_path) -> Iterator[Callable[..., Worker]]:
    """Start workers on the test database; all are stopped before the test's data is flushed."""
    from django.db import connection

    env = worker_env(connection.settings_dict, CLAIMDESK_TEST_VISIBILITY_TIMEOUT="8")
    workers: list[Worker] = []

    def start(concurrency: int = 2, *, flagging: bool = True) -> Worker:
        extra = {} if flagging else {"CLAIMDESK_TEST_FLAG_QUEUE": "flags-not-consumed"}
        log = tmp_path / f"worker-{len(workers) + 1}.log"
        worker = Worker({**env, **extra}, concurrency=concurrency, log=log)
        workers.append(worker)
        return worker.start()

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
        # Tasks left in the queue must not reach the next test's workers.
        flush_test_broker()
