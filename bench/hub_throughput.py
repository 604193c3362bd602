"""Hub throughput: sealed submissions filed per second, on SQLite and on PostgreSQL.

The hub runs as `python -m hub` in its own process on loopback (as in a centre), on SQLite and
then on a throwaway PostgreSQL (hub.testing.postgres_server), both durable as they run for real:
SQLite in WAL mode with synchronous=FULL (its default, kept by the hub), PostgreSQL with fsync and
synchronous commit on (its defaults). Each run sends N sealed
submissions, each with its own Idempotency-Key, from 4 client threads with a requests.Session
each; every answer must be a 201. The baseline, measured against the same hub in the same run:
N conditional GETs of /v1/catalogue with If-None-Match, answered 304 (a token check, no
database write). Envelopes are sealed before the clock starts. Medians of 3 runs; the
latency percentiles are over every submission of every run (closed loop: each thread sends
its next request when the last is answered, so they show service time, not queueing).

    python bench/hub_throughput.py [--n 2000] [--threads 4] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.testing import free_port, postgres_server  # noqa: E402
from kiosk.sync.sealing import load_public, seal  # noqa: E402

TOKEN = {"Authorization": "Bearer demo-token"}
ANSWERS = {"lives_alone": True, "bank_account": "6222020200112233445",
           "phone": "+8613812345678"}


@contextmanager
def hub_process(database_url: str | None) -> Iterator[str]:
    """`python -m hub --demo` on a free port; yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as data:
        common = ["--data-dir", data] + (["--database-url", database_url] if database_url
                                         else [])
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        if database_url:
            subprocess.run([sys.executable, "-m", "hub", "migrate", *common], check=True,
                           env=env, capture_output=True)
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "hub", "--demo", "--port", str(port), "--log-level",
             "warning", *common], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"{url}/v1/catalogue", headers=TOKEN, timeout=5).ok:
                        break
                except requests.ConnectionError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the hub did not start: {process.stderr.read()!r}")
                time.sleep(0.1)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def per_second(count: int, threads: int, send: Callable[[requests.Session, int], None],
               latencies: list[float] | None = None) -> float:
    """`count` calls of send(session, i) shared by `threads` threads; calls per second. Each
    call's duration is appended to `latencies` when given."""
    barrier = threading.Barrier(threads + 1)
    failures: list[BaseException] = []

    def work(first: int) -> None:
        with requests.Session() as session:
            session.headers.update(TOKEN)
            barrier.wait()
            try:
                for i in range(first, count, threads):
                    started = time.perf_counter()
                    send(session, i)
                    if latencies is not None:
                        latencies.append(time.perf_counter() - started)
            except BaseException as problem:
                failures.append(problem)

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise failures[0]
    return count / elapsed


def sealed_bodies(url: str, count: int) -> list[bytes]:
    import json

    public = load_public(requests.get(f"{url}/v1/keys/submissions", headers=TOKEN,
                                      timeout=10).json()["public_key_pem"])
    bodies = []
    for i in range(count):
        created = datetime.now(UTC).isoformat()
        plaintext = {"service_id": "senior_allowance", "answers": ANSWERS,
                     "citizen_id": "110105194103150021", "language": "zh_CN",
                     "created": created, "kiosk_id": "demo-kiosk"}
        envelope = seal(public, plaintext, "senior_allowance", created, f"P-bench-{i}")
        bodies.append(json.dumps(envelope).encode())
    return bodies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(url: str, n: int, threads: int,
            runs: int) -> tuple[list[float], list[float], list[float]]:
    etag = requests.get(f"{url}/v1/catalogue", headers=TOKEN, timeout=10).headers["ETag"]

    def conditional_get(session: requests.Session, _i: int) -> None:
        response = session.get(f"{url}/v1/catalogue", headers={"If-None-Match": etag},
                               timeout=30)
        if response.status_code != 304:
            raise RuntimeError(f"catalogue: HTTP {response.status_code}")

    submissions, baseline, latencies = [], [], []
    for _ in range(runs):
        bodies = sealed_bodies(url, n)

        def submit(session: requests.Session, i: int, bodies=bodies) -> None:
            response = session.post(f"{url}/v1/submissions", data=bodies[i], timeout=60,
                                    headers={"Content-Type": "application/json",
                                             "Idempotency-Key": str(uuid.uuid4())})
            if response.status_code != 201:
                raise RuntimeError(f"submission: HTTP {response.status_code} {response.text}")

        per_second(min(n, 200), threads, conditional_get)  # warm the connections
        baseline.append(per_second(n, threads, conditional_get))
        submissions.append(per_second(n, threads, submit, latencies))
    return submissions, baseline, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    began = time.perf_counter()
    results = {}
    with hub_process(None) as url:
        results["SQLite"] = measure(url, args.n, args.threads, args.runs)
    with postgres_server(durable=True) as database_url, hub_process(database_url) as url:
        results["PostgreSQL"] = measure(url, args.n, args.threads, args.runs)

    print(f"hub throughput: Python {sys.version.split()[0]}, {os.cpu_count()} cores (load "
          f"average {os.getloadavg()[0]:.1f}), both databases durable (fsync on), "
          f"N={args.n} sealed submissions per run, {args.threads} client threads, "
          f"medians of {args.runs} runs, {time.perf_counter() - began:.0f}s in all")
    print()
    print(f"{'database':12}{'submissions/s':>15}{'catalogue 304/s (baseline)':>29}"
          f"{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}   runs (submissions/s)")
    for name, (submissions, baseline, latencies) in results.items():
        sub, base = statistics.median(submissions), statistics.median(baseline)
        runs = ", ".join(f"{s:.0f}" for s in submissions)
        print(f"{name:12}{sub:>15.0f}{base:>29.0f}{sub / base:>8.2f}"
              f"{1000 * percentile(latencies, 0.5):>9.1f}{1000 * percentile(latencies, 0.99):>9.1f}"
              f"   {runs}")


if __name__ == "__main__":
    main()
