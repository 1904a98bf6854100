#!/usr/bin/python3
"""Storage write throughput under concurrency (SQLite, or PostgreSQL with --storage-url
or --start-postgres): C clients (default 200) each create K
conversations (default 5) at once through unichat's `POST /api/conversations`, each
with its own logged-in user. Every created conversation is one committed write
transaction (the conversation row; answered 201 only once it is durable, as
`synchronous=FULL` makes it). Reports conversations committed per second, p50/p99
request latency and Atrium's CPU (user+system seconds over the measured phase, from
/proc/<pid>/stat, as % of one core). Afterwards it checks every conversation is stored.

  bench/storage_commit_bench.py --atrium build/release/src/app/atrium --clients 200 \
      [--per-client 5] [--group-commit on|off] [--worker-threads 4]
      [--storage-url postgresql://... | --start-postgres]

`--storage-url` sets Atrium's storage.url (PostgreSQL; the database should be empty, the
server then migrates it); `--start-postgres` starts a throw-away server in a temporary
directory (tests/support/pg_server.py: Debian's PostgreSQL binaries, as the `postgres`
user when run as root) with PostgreSQL's durable defaults (fsync and synchronous commit
on, unlike the test suite's server) and creates the database there. `--group-commit`
applies to SQLite only.

`--group-commit off` sets `storage.group_commit = false` (one transaction and fsync per
write), so one binary gives the before/after comparison. Loopback only; the run is
bounded (every request has a 60 s timeout, the whole run 10 minutes). Needs Debian's
python3-aiohttp. Users are registered and logged in before the measured phase.
"""

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import aiohttp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PASSWORD = "Bench-Passw0rd-commit!"
RUN_BOUND_S = 600


def wait_file(path, proc, bound=60):
    deadline = time.monotonic() + bound
    while not os.path.exists(path):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{proc.args[0]} did not start")
        time.sleep(0.02)
    with open(path) as f:
        return json.load(f)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


async def login_user(session, base, i, gate):
    email = f"bench{i}@example.com"
    async with gate:  # password hashing is deliberately slow: a few at a time
        async with session.post(f"{base}/api/auth/register",
                                json={"email": email, "password": PASSWORD, "display_name": f"Bench {i}"}) as r:
            if r.status != 201:
                raise RuntimeError(f"register {email}: {r.status} {await r.text()}")
        async with session.post(f"{base}/api/auth/login", json={"email": email, "password": PASSWORD}) as r:
            if r.status != 200:
                raise RuntimeError(f"login {email}: {r.status} {await r.text()}")
            return {"Authorization": f"Bearer {(await r.json())['access_token']}"}


async def client(session, base, headers, per_client, start, latencies, failures):
    await start.wait()
    for k in range(per_client):
        t0 = time.perf_counter()
        async with session.post(f"{base}/api/conversations", json={"title": f"bench {k}"}, headers=headers) as r:
            await r.read()
            if r.status != 201:
                failures.append(f"{r.status}")
                continue
        latencies.append((time.perf_counter() - t0) * 1000)


async def stored_total(session, base, headers):
    async with session.get(f"{base}/api/conversations?limit=1", headers=headers) as r:
        return (await r.json())["total"]


async def run(base, pid, clients, per_client):
    conn = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=conn, timeout=timeout) as session:
        gate = asyncio.Semaphore(4)
        users = await asyncio.gather(*(login_user(session, base, i, gate) for i in range(clients)))
        latencies, failures = [], []
        start = asyncio.Event()
        tasks = [asyncio.create_task(client(session, base, h, per_client, start, latencies, failures)) for h in users]
        await asyncio.sleep(0.2)  # every client is parked on the start event
        cpu0, t0 = cpu_seconds(pid), time.perf_counter()
        start.set()
        await asyncio.gather(*tasks)
        wall, cpu = time.perf_counter() - t0, cpu_seconds(pid) - cpu0
        stored = sum(await asyncio.gather(*(stored_total(session, base, h) for h in users)))
    return latencies, failures, wall, cpu, stored


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--atrium", required=True)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--per-client", type=int, default=5, help="conversations each client creates, one after another")
    ap.add_argument("--group-commit", choices=("on", "off"), default="on", help="Atrium's storage.group_commit")
    ap.add_argument("--worker-threads", type=int, default=4, help="Atrium's server.worker_threads (its default: 4)")
    ap.add_argument("--storage-url", default="", help="Atrium's storage.url (a postgresql:// URL; empty: SQLite)")
    ap.add_argument("--start-postgres", action="store_true",
                    help="start a throw-away PostgreSQL server and measure on a fresh database there")
    args = ap.parse_args()
    if not 1 <= args.clients <= 1000 or not 1 <= args.per_client <= 100:
        ap.error("--clients must be 1-1000 and --per-client 1-100")
    if args.storage_url and args.start_postgres:
        ap.error("--storage-url and --start-postgres exclude each other")

    work = tempfile.mkdtemp(prefix="atrium-commit-bench-")
    atrium = None
    pg_dir = None
    try:
        storage_url = args.storage_url
        if args.start_postgres:
            sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
            import pg_server  # noqa: E402 (the test suite's throw-away PostgreSQL)
            pg_dir = os.path.join(tempfile.gettempdir(), os.path.basename(work) + "-pg")  # the server user reaches /tmp
            storage_url = pg_server.create_database(pg_server.start(pg_dir, None, durable=True), "bench_commit")
        driver = "PostgreSQL" if storage_url else f"SQLite, group commit {args.group_commit}"
        storage_line = f'url = "{storage_url}"' if storage_url else ""
        conf = f"""
[server]
bind = "127.0.0.1"
io_threads = 1
worker_threads = {args.worker_threads}
[data]
dir = "{work}/data"
[storage]
group_commit = {"true" if args.group_commit == "on" else "false"}
{storage_line}
[log]
level = "warn"
access_log = false
[security]
rate_limits = false
"""
        for d in ("unamentis", "unichat", "secondbrain", "pisovereign", "mira", "openai"):
            conf += f"[dialects.{d}]\nport = 0\n"
        with open(f"{work}/atrium.toml", "w") as f:
            f.write(conf)
        atrium = subprocess.Popen([args.atrium, "serve", "--config", f"{work}/atrium.toml", "--ready-file",
                                   f"{work}/atrium.json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = wait_file(f"{work}/atrium.json", atrium)["unichat"]
        base = f"http://127.0.0.1:{port}"
        latencies, failures, wall, cpu, stored = asyncio.run(
            asyncio.wait_for(run(base, atrium.pid, args.clients, args.per_client), RUN_BOUND_S))
        expected = args.clients * args.per_client
        print(f"{args.clients} clients x {args.per_client} conversations (unichat POST /api/conversations), "
              f"{driver}, {args.worker_threads} workers, loopback; atrium = {args.atrium}\n")
        print("| committed | failed | wall (s) | conversations/s | p50 (ms) | p99 (ms) | Atrium CPU (% of a core) |")
        print("|---|---|---|---|---|---|---|")
        print(f"| {len(latencies)} | {len(failures)} | {wall:.2f} | {len(latencies) / wall:.0f} | "
              f"{pct(latencies, 50):.2f} | {pct(latencies, 99):.2f} | {100 * cpu / wall:.0f} |")
        print(f"\nstored afterwards: {stored} of {expected}")
        if failures or stored != len(latencies):
            print(f"failures: {failures[:10]}", file=sys.stderr)
            return 1
        return 0
    finally:
        if atrium is not None and atrium.poll() is None:
            atrium.send_signal(signal.SIGTERM)
            try:
                atrium.wait(15)
            except subprocess.TimeoutExpired:
                atrium.kill()
        if pg_dir is not None:
            pg_server.stop(pg_dir)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
