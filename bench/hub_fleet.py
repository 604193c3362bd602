"""A region's fleet on one PostgreSQL (fsync on): N kiosks against 1, 2 and 4 hub processes.

Open loop: every request has a scheduled time, fixed before the run from the traffic a kiosk
really sends; latency is measured from that scheduled time (a hub that falls behind pays for
its queue, nothing is "coordinated away"). Per kiosk:

  liveness    POST /v1/heartbeat every 30 s (HttpBackend's probe while online, random phase;
              the UI's own heartbeat reuses its answer)
  journeys    one citizen every --journey-every seconds per kiosk (Poisson): card, a live
              list, a lookup, a sealed submission, the visit's usage record, paced as a person
              taps (seconds apart)
  help        one journey in --help-share calls a helper: the call, its status every 3 s
              (the kiosk's help_poll_s) for 30 s, then the cancel
  desks       with --kiosks-per-desk K: one helper desk per K kiosks reads its centre's help
              requests every 5 s (what an open desk page's refresh costs the hub, through the
              JSON API); not kiosk traffic, so none by default

Each request opens its own connection (kiosks speak every 30 s, far beyond any keep-alive).
Kiosk i talks to hub process i mod P, as behind a reverse proxy with sticky upstreams.
Loopback only; the request count and the time are bounded (--seconds of schedule, then at
most 20 s to finish); the hubs and PostgreSQL are stopped at the end, whatever happens.

    python bench/hub_fleet.py                         # 3000 kiosks, 1/2/4 hubs, 60 s each
    python bench/hub_fleet.py --kiosks 1000 --hubs 1 --seconds 30 --kiosks-per-desk 10

It prints, per number of hub processes: requests counted, requests/s, p50/p99/max latency,
errors (a wrong status, a refused or reset connection, a timeout, or not finished in time),
the hubs' CPU per request, and this generator's own CPU (it shares the machine).
"""

from __future__ import annotations

import argparse
import heapq
import http.client
import json
import os
import queue
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert  # noqa: E402

from hub.db import Desk, Kiosk  # noqa: E402
from hub.testing import HOST, free_port, fresh_database, postgres_server  # noqa: E402
from kiosk.backend.demo_data import CITIZENS  # noqa: E402
from kiosk.sync.sealing import load_public, seal  # noqa: E402

HEARTBEAT_EVERY_S = 30.0
HELP_POLL_S, HELP_WAIT_S = 3.0, 30.0
DESK_EVERY_S = 5.0
CARD = CITIZENS[0][0]  # a demo citizen
TIMEOUT_S = 10.0
FINISH_S = 20.0


@dataclass(order=True)
class Call:
    at: float  # seconds after the start of the schedule
    kind: str = field(compare=False)
    method: str = field(compare=False)
    path: str = field(compare=False)
    token: str = field(compare=False)
    hub: int = field(compare=False)
    body: bytes | None = field(compare=False, default=None)
    headers: dict[str, str] = field(compare=False, default_factory=dict)
    expect: tuple[int, ...] = field(compare=False, default=(200,))


# --- the schedule --------------------------------------------------------------------------


def kiosk_token(i: int) -> str:
    return f"bench-kiosk-token-{i}"


def desk_token(d: int) -> str:
    return f"bench-desk-token-{d}"


def usage_record() -> bytes:
    record = {"id": str(uuid.uuid4()), "day": date.today().isoformat(), "seconds": 240,
              "help": [], "tasks": [{"service_id": "report_problem", "outcome": "completed",
                                     "last_step": None, "seconds": 200, "rating": 5,
                                     "comment": None}]}
    return json.dumps({"records": [record]}).encode()


def heartbeat(i: int) -> bytes:
    return json.dumps({"kiosk_id": f"bench-{i}", "queue_waiting": 0, "queue_quarantined": 0,
                       "version": "bench"}).encode()


def schedule(kiosks: int, hubs: int, seconds: float, journey_every: float, help_share: int,
             per_desk: int, envelope, seed: int = 7) -> list[Call]:
    """Every call of the run, sorted by its time. `envelope()` seals one submission."""
    rng = random.Random(seed)
    calls: list[Call] = []
    json_type = {"Content-Type": "application/json"}

    def add(at: float, kind: str, method: str, path: str, who: int, body: bytes | None = None,
            expect: tuple[int, ...] = (200,), headers: dict | None = None) -> None:
        if at < seconds:
            calls.append(Call(at, kind, method, path, kiosk_token(who), who % hubs, body,
                              {**json_type, **(headers or {})} if body is not None else {},
                              expect))

    for i in range(kiosks):
        at = rng.uniform(0, HEARTBEAT_EVERY_S)
        while at < seconds:
            add(at, "heartbeat", "POST", "/v1/heartbeat", i, heartbeat(i))
            at += HEARTBEAT_EVERY_S
        at = rng.expovariate(1 / journey_every)
        while at < seconds:
            add(at, "card", "POST", "/v1/identity/card", i,
                json.dumps({"id_number": CARD}).encode())
            add(at + 6, "list", "GET", "/v1/options/hospitals", i)
            add(at + 12, "lookup", "POST", "/v1/lookups/bill", i, json.dumps(
                {"params": {"utility": "water", "account": "10012345"},
                 "citizen_id": None}).encode())
            add(at + 25, "submission", "POST", "/v1/submissions", i, envelope(), (201,),
                {"Idempotency-Key": str(uuid.uuid4())})
            add(at + 30, "usage", "POST", "/v1/usage", i, usage_record())
            if rng.randrange(help_share) == 0:
                calls.append(Call(at + 8, "help", "POST", "/v1/help-requests", kiosk_token(i),
                                  i % hubs, json.dumps({"service_id": "pay_bill",
                                                        "step_id": "account"}).encode(),
                                  dict(json_type), (201,)))
            at += rng.expovariate(1 / journey_every)
    for d in range(kiosks // per_desk if per_desk else 0):
        at = rng.uniform(0, DESK_EVERY_S)
        while at < seconds:
            calls.append(Call(at, "desk", "GET", "/v1/desk/help-requests", desk_token(d),
                              d % hubs))
            at += DESK_EVERY_S
    heapq.heapify(calls)
    return [heapq.heappop(calls) for _ in range(len(calls))]


# --- running it ----------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, call: Call, latency: float, problem: str | None, counted: bool) -> None:
        with self.lock:
            if counted:
                self.latencies[call.kind].append(latency)
            if problem is not None:
                self.errors[call.kind] += 1
                if len(self.examples) < 5:
                    self.examples.append(f"{call.kind}: {problem}")


def send(port: int, call: Call, follow_ups: queue.Queue | None) -> str | None:
    """One request on a new connection; None when the answer is the expected one."""
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S)
    try:
        connection.request(call.method, call.path, body=call.body,
                           headers={"Authorization": f"Bearer {call.token}", **call.headers})
        response = connection.getresponse()
        body = response.read()
    except OSError as problem:
        return type(problem).__name__
    finally:
        connection.close()
    if response.status not in call.expect:
        return f"HTTP {response.status} {body[:120]!r}"
    if call.path == "/v1/help-requests" and follow_ups is not None:
        follow_ups.put((call, json.loads(body)["id"]))
    return None


def run(ports: list[int], calls: list[Call], warmup: float, workers: int) -> tuple[Tally, float]:
    """Send every call at its time; (tally, seconds the run took)."""
    tally = Tally()
    work: queue.Queue = queue.Queue()
    follow_ups: queue.Queue = queue.Queue()
    start = time.monotonic() + 0.5

    def worker() -> None:
        while True:
            call = work.get()
            if call is None:
                return
            problem = send(ports[call.hub], call, follow_ups)
            done = time.monotonic() - start
            tally.record(call, done - call.at, problem, call.at >= warmup)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    pending = list(calls)
    heapq.heapify(pending)
    end = calls[-1].at if calls else 0.0
    while pending:
        while not follow_ups.empty():
            call, request_id = follow_ups.get()
            polls = int(HELP_WAIT_S / HELP_POLL_S)
            for n in range(1, polls + 1):
                heapq.heappush(pending, Call(call.at + n * HELP_POLL_S, "help status", "GET",
                                             f"/v1/help-requests/{request_id}", call.token,
                                             call.hub))
            heapq.heappush(pending, Call(call.at + HELP_WAIT_S + 1, "help cancel", "POST",
                                         f"/v1/help-requests/{request_id}/cancel", call.token,
                                         call.hub))
        now = time.monotonic() - start
        if pending[0].at <= now:
            call = heapq.heappop(pending)
            if call.at <= end:
                work.put(call)
            continue
        time.sleep(min(pending[0].at - now, 0.005))
    for _ in threads:
        work.put(None)
    deadline = time.monotonic() + FINISH_S
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    unfinished = work.qsize() + sum(thread.is_alive() for thread in threads)
    if unfinished:
        tally.errors["unfinished"] += unfinished
    return tally, time.monotonic() - start


# --- the hubs and the database -------------------------------------------------------------


def prepare_database(url: str, kiosks: int, per_desk: int = 10) -> None:
    from hub import migrate
    from kiosk.sync.bundle import token_hash

    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.begin() as db:
        db.execute(insert(Kiosk), [
            {"kiosk_id": f"bench-{i}", "centre": f"centre-{i // per_desk}",
             "token_hash": token_hash(kiosk_token(i))} for i in range(kiosks)])
        db.execute(insert(Desk), [
            {"desk_id": f"bench-desk-{d}", "centre": f"centre-{d}",
             "token_hash": token_hash(desk_token(d))}
            for d in range(max(1, kiosks // per_desk))])
    engine.dispose()


@contextmanager
def hub_processes(url: str, count: int, data: Path,
                  threads: int | None = None) -> Iterator[tuple[list[int], list]]:
    """`count` x `python -m hub --demo` on one database and one key; (ports, processes)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if threads:
        env["KIOSK_HUB_THREADS"] = str(threads)
    processes, ports = [], []
    try:
        for _ in range(count):  # one after the other: the demo seeding is not concurrent
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "hub", "--demo", "--database-url", url, "--data-dir",
                 str(data), "--host", HOST, "--port", str(port), "--log-level", "warning"],
                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            processes.append(process)
            ports.append(port)
            wait_until_alive(port, process)
        yield ports, processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_alive(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"a hub did not start: {process.stderr.read()[-2000:]!r}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/alive")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("a hub did not start within 60 s")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sealer(port: int):
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    connection.request("GET", "/v1/keys/submissions",
                       headers={"Authorization": f"Bearer {kiosk_token(0)}"})
    public = load_public(json.loads(connection.getresponse().read())["public_key_pem"])

    def envelope() -> bytes:
        created = datetime.now(UTC).isoformat()
        plaintext = {"service_id": "report_problem", "citizen_id": None, "language": "zh_CN",
                     "created": created, "kiosk_id": "bench",
                     "answers": {"category": "street_light", "place": "村口",
                                 "description": "路灯不亮"}}
        return json.dumps(seal(public, plaintext, "report_problem", created, None)).encode()

    return envelope


# --- the report ----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def report(hubs: int, tally: Tally, took: float, cpu: float, own_cpu: float,
           measured_s: float) -> dict:
    every = [v for values in tally.latencies.values() for v in values]
    errors = sum(tally.errors.values())
    return {"hubs": hubs, "requests": len(every), "per_s": len(every) / measured_s,
            "p50_ms": 1000 * percentile(every, 0.50), "p99_ms": 1000 * percentile(every, 0.99),
            "max_ms": 1000 * max(every, default=0.0), "errors": errors,
            "hub_cpu_ms": 1000 * cpu / max(1, len(every)), "took_s": took,
            "own_cpu_share": own_cpu / took,
            "kinds": {kind: (len(values), 1000 * percentile(values, 0.99))
                      for kind, values in sorted(tally.latencies.items())},
            "examples": tally.examples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=3000)
    parser.add_argument("--hubs", default="1,2,4", help="hub processes per run, e.g. 1,2,4")
    parser.add_argument("--seconds", type=float, default=60.0, help="of schedule per run")
    parser.add_argument("--warmup", type=float, default=10.0, help="first seconds not counted")
    parser.add_argument("--journey-every", type=float, default=360.0,
                        help="seconds between two citizens at one kiosk (mean)")
    parser.add_argument("--help-share", type=int, default=10, help="1 journey in N asks help")
    parser.add_argument("--kiosks-per-desk", type=int, default=0,
                        help="add one helper desk per K kiosks, polling every 5 s (0: none)")
    parser.add_argument("--hub-threads", type=int, help="worker threads per hub process")
    parser.add_argument("--workers", type=int, default=128, help="client threads")
    args = parser.parse_args()
    if args.seconds > 300 or args.kiosks > 20_000:
        parser.error("keep runs bounded: at most 300 s and 20,000 kiosks")
    counts = [int(n) for n in args.hubs.split(",")]

    began = time.perf_counter()
    load_before = os.getloadavg()[0]
    results = []
    with ExitStack() as stack:
        server = stack.enter_context(postgres_server(durable=True))
        for run_number, hubs in enumerate(counts):
            url = fresh_database(server, f"fleet_{run_number}")
            prepare_database(url, args.kiosks, args.kiosks_per_desk or 10)
            data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fleet-")))
            with hub_processes(url, hubs, data, args.hub_threads) as (ports, processes):
                calls = schedule(args.kiosks, hubs, args.seconds, args.journey_every,
                                 args.help_share, args.kiosks_per_desk, sealer(ports[0]))
                before = sum(cpu_seconds(p.pid) for p in processes)
                own = time.process_time()
                tally, took = run(ports, calls, args.warmup, args.workers)
                own = time.process_time() - own
                cpu = sum(cpu_seconds(p.pid) for p in processes) - before
            results.append(report(hubs, tally, took, cpu, own, args.seconds - args.warmup))
    load = os.getloadavg()
    desks = f", a desk per {args.kiosks_per_desk} kiosks" if args.kiosks_per_desk else ""
    print(f"hub fleet: {args.kiosks} kiosks{desks}, PostgreSQL fsync on, Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} cores (load average {load_before:.1f} "
          f"before, {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} after), {args.seconds:.0f} s "
          f"per run, first "
          f"{args.warmup:.0f} s not counted, {time.perf_counter() - began:.0f} s in all")
    print()
    print(f"{'hubs':>4}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
          f"{'errors':>8}{'hub CPU ms/req':>16}{'generator CPU':>15}")
    for r in results:
        print(f"{r['hubs']:>4}{r['requests']:>10}{r['per_s']:>8.0f}{r['p50_ms']:>9.1f}"
              f"{r['p99_ms']:>9.1f}{r['max_ms']:>9.0f}{r['errors']:>8}{r['hub_cpu_ms']:>16.2f}"
              f"{100 * r['own_cpu_share']:>14.0f}%")
    print()
    for r in results:
        kinds = ", ".join(f"{kind} {n} (p99 {p99:.0f} ms)" for kind, (n, p99) in r["kinds"].items())
        print(f"{r['hubs']} hub(s): {kinds}")
        for example in r["examples"]:
            print(f"   error: {example}")


if __name__ == "__main__":
    main()
