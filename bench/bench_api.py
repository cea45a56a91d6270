"""Benchmark the claims list API against a bare Django view over the same rows.

Serves both from gunicorn (2 workers) on 127.0.0.1 against a scratch database
(``claimdesk_bench`` on the embedded PostgreSQL, or BENCH_DATABASE_URL) holding ``--claims``
published claims, each with 2 statements (in their own article) and 2 sources, and loads
them with 16 concurrent clients: wrk when it is installed (`apt-get install wrk`; a C load
generator leaves the 2 cores to the server), else Python threads, which take a core of their own
and so understate both paths. Prints one JSON line per result:
  {"bench": "api_claims_list", "claims": N, "page_size": 50, "rps": ..., "p50_ms": ..., ...}
  {"bench": "bare_claims_list", ...}
  {"bench": "api_vs_bare", "throughput_ratio": ..., "api_p95_ms": ..., "targets_met": ...}
With --inprocess R it also times R requests of each path through Django's test client in
this process (less sensitive to machine load than the HTTP run) and prints
  {"bench": "inprocess_api_claims_list", "ms_median": ..., "queries": ...} (and the bare one).
Usage: python bench/bench_api.py [--claims N] [--seconds S] [--clients C] [--inprocess R]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
DB_NAME = "claimdesk_bench"

SEED_SQL = """
TRUNCATE claims_claimsource, claims_claimstatement, claims_claim_claimants, claims_claim,
         claims_statement, claims_article, claims_source, claims_speaker, claims_outlet
         RESTART IDENTITY CASCADE;
INSERT INTO claims_outlet (name, domain, country) VALUES ('Bench News', 'bench.example', 'GB');
INSERT INTO claims_speaker (name, name_key, kind, aliases, alias_keys, external_id, description,
                            verified, created_at)
SELECT 'Speaker ' || i, 'speaker ' || i, 'person', '{}', '{}', '', '', true, now()
FROM generate_series(1, 1000) i;
INSERT INTO claims_article (url, canonical_url, outlet_id, title, authors, published_at, language,
    body, content_hash, origin, state, failure_reason, attempts, created_at, updated_at,
    fetched_at, extracted_hash)
SELECT 'https://bench.example/a/' || i, 'https://bench.example/a/' || i, 1, 'Article ' || i,
    '[]', now(), 'en',
    'The minister said prices will fall. The minister said wages will rise next year.',
    md5(i::text) || md5('x' || i), 'api', 'extracted', '', 0, now(), now(), now(), ''
FROM generate_series(1, %(n)s) i;
INSERT INTO claims_statement (article_id, text, start, "end", kind, cue, speaker_id,
    speaker_mention, attribution_chain, type_guess, review_state, created_at)
SELECT a, CASE WHEN s = 0 THEN 'prices will fall' ELSE 'wages will rise next year' END,
    CASE WHEN s = 0 THEN 18 ELSE 54 END, CASE WHEN s = 0 THEN 34 ELSE 79 END,
    'indirect', 'said', 1 + (a %% 1000), 'The minister', '', 'factual', 'reviewed', now()
FROM generate_series(1, %(n)s) a, generate_series(0, 1) s;
INSERT INTO claims_source (url, title, publisher, kind, archived_hash, created_at)
SELECT 'https://evidence.example/r/' || i, 'Report ' || i, 'Statistics Office', 'official', '',
    now()
FROM generate_series(1, %(n)s) i;
INSERT INTO claims_claim (text, title, claim_type, state, rating_id, verdict_explanation,
    version, external_url, created_at, updated_at, published_at, verdict_changed_at)
SELECT 'Claim ' || i || ': prices will fall by half while wages rise next year',
    '', 'factual', 'published', %(rating)s, 'Official statistics say otherwise.', 1, '',
    now(), now(), now(), now()
FROM generate_series(1, %(n)s) i;
INSERT INTO claims_claim_claimants (claim_id, speaker_id)
SELECT i, 1 + (i %% 1000) FROM generate_series(1, %(n)s) i;
INSERT INTO claims_claimstatement (claim_id, statement_id, relation, fidelity, note, linked_at)
SELECT article_id, id, 'asserts', 'verbatim', '', now() FROM claims_statement;
INSERT INTO claims_claimsource (claim_id, source_id, stance, note, added_at)
SELECT i, 1 + ((i + k) %% %(n)s), CASE k WHEN 0 THEN 'refutes' ELSE 'context' END, '', now()
FROM generate_series(1, %(n)s) i, generate_series(0, 1) k;
ANALYZE;
"""


def database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    from config import embedded

    data_dir = Path(os.environ.get("CLAIMDESK_DATA_DIR", ROOT / ".data"))
    db = embedded.embedded_database(data_dir, name=DB_NAME)
    # A unix-socket host goes in the query string (django-environ passes it to psycopg).
    return f"postgres://{db['USER']}@/{db['NAME']}?host={quote(db['HOST'])}&port={db['PORT']}"


def seed(env: dict, n: int) -> float:
    """Migrate the scratch database and fill it with ``n`` claims unless it already has them."""
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    import psycopg

    url = env["DATABASE_URL"].replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        (have,) = conn.execute("SELECT count(*) FROM claims_claim").fetchone()
        if have == n:
            return 0.0
        (rating,) = conn.execute(
            "SELECT r.id FROM claims_rating r JOIN claims_ratingscale s ON s.id = r.scale_id "
            "WHERE s.slug = 'truth' AND r.slug = 'false'"
        ).fetchone()
        start = time.perf_counter()
        with conn.transaction():
            sql = SEED_SQL.replace("%(n)s", str(n)).replace("%(rating)s", str(rating))
            conn.execute(sql.replace("%%", "%"))
        return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, path: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    last = ""
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            if response.status == 200:
                return
            last = f"{response.status}: {body[:300]!r}"
            time.sleep(0.3)
        except OSError as exc:
            last = str(exc)
            time.sleep(0.3)
    raise RuntimeError(f"server on port {port} did not answer {path}: {last}")


# wrk reports through this Lua hook: one JSON line with the counts and percentiles (in µs).
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "errors": %d, "seconds": %.3f, "p50": %d, "p95": %d, "p99": %d}\\n',
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout,
    summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
end
"""


def load(port: int, path: str, clients: int, seconds: float) -> dict:
    """Load ``path`` with ``clients`` keep-alive connections; return rps and latency percentiles.

    wrk (a C load generator) is used when installed, so the load generator takes little of the
    machine's CPU from the server it measures; Python threads are the fallback.
    """
    if shutil.which("wrk"):
        return load_wrk(port, path, clients, seconds)
    return load_threads(port, path, clients, seconds)


def load_wrk(port: int, path: str, clients: int, seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_REPORT)
        script.flush()
        out = subprocess.run(
            [
                "wrk",
                "--threads",
                "1",
                "--connections",
                str(clients),
                "--duration",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "--script",
                script.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    report = json.loads(out.strip().splitlines()[-1])
    return {
        "generator": "wrk",
        "requests": report["requests"],
        "errors": report["errors"],
        "rps": round(report["requests"] / report["seconds"], 1),
        **{f"{p}_ms": round(report[p] / 1000, 1) for p in ("p50", "p95", "p99")},
    }


def load_threads(port: int, path: str, clients: int, seconds: float) -> dict:
    """Hammer ``path`` from ``clients`` keep-alive threads; return rps and latency percentiles."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[i] += 1
            except OSError:
                errors[i] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            latencies[i].append(time.perf_counter() - t0)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    flat = sorted(x for lat in latencies for x in lat)

    def pct(p: float) -> float:
        return round(flat[min(len(flat) - 1, int(p * len(flat)))] * 1000, 1) if flat else 0.0

    return {
        "generator": "python-threads",
        "requests": len(flat),
        "errors": sum(errors),
        "rps": round(len(flat) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
    }


API_PATH, BARE_PATH = "/api/claims/?page_size=50", "/bare/claims/"


def inprocess(env: dict, repeats: int) -> None:
    """Time ``repeats`` test-client requests of the API and the bare view, alternating."""
    os.environ.update({**env, "DJANGO_SETTINGS_MODULE": "_api_settings"})
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    paths = {"api_claims_list": API_PATH, "bare_claims_list": BARE_PATH}
    times: dict[str, list[float]] = {name: [] for name in paths}
    queries: dict[str, int] = {}
    for name, path in paths.items():  # warm up, and count queries once
        assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        queries[name] = len(ctx.captured_queries)
    for _ in range(repeats):
        for name, path in paths.items():
            t0 = time.perf_counter()
            client.get(path)
            times[name].append((time.perf_counter() - t0) * 1000)
    for name, samples in times.items():
        samples.sort()
        print(
            json.dumps(
                {
                    "bench": f"inprocess_{name}",
                    "repeats": repeats,
                    "ms_median": round(samples[len(samples) // 2], 2),
                    "ms_min": round(samples[0], 2),
                    "ms_p90": round(samples[int(0.9 * len(samples))], 2),
                    "queries": queries[name],
                }
            ),
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--inprocess", type=int, default=0, metavar="R", help="also time R in-process requests"
    )
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn run")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret"),
        "SECURE_SSL_REDIRECT": "0",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "600",
    }
    env["DATABASE_URL"] = database_url()
    seconds_seeding = seed(env, args.claims)
    print(
        json.dumps(
            {"bench": "api_seed", "claims": args.claims, "seed_s": round(seconds_seeding, 1)}
        ),
        flush=True,
    )
    if args.inprocess:
        inprocess(env, args.inprocess)
    if args.no_http:
        return

    port = free_port()
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            str(ROOT / "bench"),
            "--log-level",
            "warning",
            "--keep-alive",
            "30",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "_api_settings"},
    )
    try:
        api, bare = API_PATH, BARE_PATH
        wait_ready(port, api)
        wait_ready(port, bare)
        results = {}
        for name, path in (("api_claims_list", api), ("bare_claims_list", bare)):
            load(port, path, args.clients, min(3.0, args.seconds))  # warm both workers
            results[name] = load(port, path, args.clients, args.seconds)
            print(
                json.dumps(
                    {
                        "bench": name,
                        "claims": args.claims,
                        "page_size": 50,
                        "clients": args.clients,
                        "workers": args.workers,
                        **results[name],
                    }
                ),
                flush=True,
            )
        ratio = results["api_claims_list"]["rps"] / max(results["bare_claims_list"]["rps"], 0.1)
        print(
            json.dumps(
                {
                    "bench": "api_vs_bare",
                    "claims": args.claims,
                    "throughput_ratio": round(ratio, 2),
                    "api_p95_ms": results["api_claims_list"]["p95_ms"],
                    "targets_met": ratio >= 0.5 and results["api_claims_list"]["p95_ms"] < 100,
                }
            ),
            flush=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
