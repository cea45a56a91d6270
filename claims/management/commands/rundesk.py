"""Serve Claimdesk for development: migrate, load the demo when empty, run web, worker and beat."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import BaseCommand, call_command

from claims.models import Article
from config import embedded


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Set up the database and run the web server, a Celery worker and Celery beat together."

    def add_arguments(self, parser):
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="address:port for the web server"
        )
        parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes")
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")

    def handle(self, *args, addr: str, concurrency: int, no_demo: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Database ready."))
        if not no_demo and not Article.objects.exists():
            call_command("load_demo")

        db = settings.DATABASES["default"]
        self.stdout.write(
            f"Database: {db['NAME']} on {db['HOST'] or 'localhost'}"
            + (" (embedded PostgreSQL)" if not os.environ.get("DATABASE_URL") else "")
        )
        self.stdout.write(f"Broker:   {settings.CELERY_BROKER_URL.split('@')[-1]}")
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(concurrency),
                "--hostname",
                "claimdesk@%h",
            ],
            "beat": [python, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO"],
        }
        # Ctrl-C or a plain `kill` stops everything, also when started from a script that
        # left SIGINT ignored (background jobs of a non-interactive shell).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _interrupt)
        processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
        self.stdout.write(
            self.style.SUCCESS(
                f"\nClaimdesk is running: desk http://{addr}/desk/ · admin http://{addr}/admin/"
                f" · API docs http://{addr}/api/docs/\n"
                "Press Ctrl-C to stop web, worker and beat.\n"
            )
        )
        try:
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
            failed = [name for name, p in processes.items() if p.poll() is not None]
            self.stderr.write(f"{', '.join(failed)} stopped; stopping the rest.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping…")
        finally:
            for p in processes.values():
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for p in processes.values():
                try:
                    p.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()  # reap it, or it lingers as a zombie that still "uses" the database
        if not os.environ.get("DATABASE_URL"):
            # The children are gone: stop the embedded PostgreSQL unless another process
            # (a shell, a test run) still uses it.
            embedded.release_embedded_database(settings.DATA_DIR)
        self.stdout.write(f"Stopped. Data is kept in {settings.DATA_DIR} for the next run.")
