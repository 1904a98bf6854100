#!/usr/bin/env python3
"""Unichat Socket.IO chat under load: N users (default 500), one socket each, all
sending `send_message` at once (R rounds each, one after the other), through Atrium's
ChatService and gateway to the fake upstream (tests/upstream/fake_openai.py) emitting
50-token answers with no delay. Same run, same client runtime (node): the same N streams
straight from the fake upstream as the baseline.

Reports chunks delivered per second, the chunk gap percentiles (each message_chunk after
the one before it, the first after message_start; for the baseline each SSE delta after
the one before it), the p99 gap Atrium adds, and Atrium's RSS with N chats open.

  bench/socketio/unichat_chat_bench.py --atrium build/release/src/app/atrium [--chats 500] [--rounds 3]

127.0.0.1 only; every wait has a deadline; every process it starts is stopped on exit.
Needs /usr/bin/python3 with python3-requests and python3-aiohttp (for the fake).
"""

import argparse
import concurrent.futures
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLIENTS = os.path.join(HERE, "unichat_chats.js")
FAKE = os.path.join(ROOT, "tests", "upstream", "fake_openai.py")
PASSWORD = "Passw0rdBench"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def wait_json(path, proc, bound=60):
    deadline = time.monotonic() + bound
    while not os.path.exists(path):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{proc.args[0]} did not start")
        time.sleep(0.05)
    with open(path) as f:
        return json.load(f)


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def start_atrium(binary, workdir, upstream):
    names = ("unamentis", "unichat", "secondbrain", "pisovereign", "mira", "openai")
    lines = ["[server]", 'bind = "127.0.0.1"', "max_connections = 20000", "max_connections_per_address = 0",
             "[data]", f'dir = "{workdir}/data"', "[log]", 'level = "warn"', "access_log = false",
             "[security]", "rate_limits = false", "max_concurrent_hashes = 4",
             # Room for every chat at once (the defaults, 16 running + 64 queued, answer
             # the rest "busy", as a small device should).
             "[llm]", f'base_url = "{upstream}"', 'model = "fake-chat"', "max_concurrent = 1024", "max_queue = 4096"]
    for name in names:
        lines += [f"[dialects.{name}]", "port = 0"]
        if name == "secondbrain":
            lines.append("socket_port = 0")
    config = os.path.join(workdir, "atrium.toml")
    with open(config, "w") as f:
        f.write("\n".join(lines) + "\n")
    ready = os.path.join(workdir, "ready.json")
    proc = subprocess.Popen([binary, "serve", "--config", config, "--ready-file", ready],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "atrium.log"), "w"))
    return proc, wait_json(ready, proc)["unichat"]


def sign_up(base, i):
    email = f"bench{i}@example.com"
    r = requests.post(base + "/api/auth/register", json={"email": email, "password": PASSWORD,
                                                          "display_name": f"Bench {i}"}, timeout=60)
    r.raise_for_status()
    r = requests.post(base + "/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=60)
    r.raise_for_status()
    token = r.json()["access_token"]
    r = requests.post(base + "/api/configs", json={"name": "Bench", "model_id": "fake-chat"},
                      headers={"Authorization": f"Bearer {token}"}, timeout=60)
    r.raise_for_status()
    return token, r.json()["config"]["id"]


def run_clients(args, deadline_s=600, on_connected=None):
    proc = subprocess.Popen(["node", CLIENTS] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        if on_connected is not None:
            line = proc.stdout.readline()
            if not line.startswith("connected"):
                raise RuntimeError("clients: " + line + proc.stderr.read()[-2000:])
            on_connected()
            proc.stdin.write("go\n")
            proc.stdin.flush()
        out, err = proc.communicate(timeout=deadline_s)
        if proc.returncode != 0:
            raise RuntimeError("clients failed: " + err[-2000:])
        if err.strip():
            print("clients said: " + err.strip()[-500:], file=sys.stderr)
        return json.loads(out.strip().splitlines()[-1])
    finally:
        if proc.poll() is None:
            proc.kill()


def summary(name, r):
    rate = r["chunks"] / (r["elapsed_ms"] / 1000.0) if r["elapsed_ms"] > 0 else float("nan")
    return {"name": name, "completed": r["completed"], "failed": r["failed"], "chunks": r["chunks"],
            "elapsed_ms": r["elapsed_ms"], "chunks_per_s": rate, "p50": percentile(r["gaps"], 50),
            "p99": percentile(r["gaps"], 99), "max": max(r["gaps"]) if r["gaps"] else float("nan"),
            "turn_p50": percentile(r["turns"], 50), "turn_p99": percentile(r["turns"], 99)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--atrium", default=os.path.join(ROOT, "build", "release", "src", "app", "atrium"))
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.chats > 5000:
        sys.exit("at most 5000 chats")

    workdir = tempfile.mkdtemp(prefix="atrium-chat-bench-")
    procs = []
    try:
        fake = subprocess.Popen(["/usr/bin/python3", FAKE, "--port", "0", "--ready-file",
                                 os.path.join(workdir, "fake.json"), "--models", "fake-chat"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(fake)
        upstream = f"http://127.0.0.1:{wait_json(os.path.join(workdir, 'fake.json'), fake)['port']}/v1"
        atrium, port = start_atrium(args.atrium, workdir, upstream)
        procs.append(atrium)
        base = f"http://127.0.0.1:{port}"

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            accounts = list(pool.map(lambda i: sign_up(base, i), range(args.chats)))
        with open(os.path.join(workdir, "tokens.json"), "w") as f:
            json.dump([t for t, _ in accounts], f)
        with open(os.path.join(workdir, "configs.json"), "w") as f:
            json.dump([c for _, c in accounts], f)

        direct = summary("fake upstream directly", run_clients(["--direct", upstream, str(args.chats),
                                                                 str(args.rounds)]))
        rss = {}
        rss["before"] = rss_kib(atrium.pid)
        through = summary("through Atrium (Socket.IO)", run_clients(
            [base, os.path.join(workdir, "tokens.json"), os.path.join(workdir, "configs.json"), str(args.rounds)],
            on_connected=lambda: rss.__setitem__("connected", rss_kib(atrium.pid))))
        rss["after"] = rss_kib(atrium.pid)

        print(f"{args.chats} concurrent chats x {args.rounds} rounds, 50-token answers, no token delay\n")
        print("| path | turns ok | failed | chunks | wall ms | chunks/s | gap p50 ms | gap p99 ms | gap max ms "
              "| turn p50 ms | turn p99 ms |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for s in (direct, through):
            print(f"| {s['name']} | {s['completed']} | {s['failed']} | {s['chunks']} | {s['elapsed_ms']:.0f} | "
                  f"{s['chunks_per_s']:.0f} | {s['p50']:.2f} | {s['p99']:.2f} | {s['max']:.1f} | "
                  f"{s['turn_p50']:.1f} | {s['turn_p99']:.1f} |")
        print(f"\np99 chunk gap added by Atrium: {through['p99'] - direct['p99']:+.2f} ms, "
              f"p99 turn time added: {through['turn_p99'] - direct['turn_p99']:+.1f} ms; "
              f"Atrium RSS {rss['before']} KiB signed in, {rss['connected']} KiB with {args.chats} sockets, "
              f"{rss['after']} KiB after")
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    main()
