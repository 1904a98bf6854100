#!/usr/bin/python3
"""What Atrium adds to a streamed chat completion, measured against the fake upstream
(tests/upstream/fake_openai.py) called directly, in the same run:

  - time to first token (request sent -> first content delta received),
  - per-token gap (between consecutive content deltas),
  - memory per active stream (Atrium's RSS with N streams open, minus idle, / N).

N concurrent streams (default 100) of T tokens (default 50) with a token delay of D ms
(default 20) go first straight to the fake, then through Atrium's OpenAI-compatible
front door (which routes to the same fake). Overhead is Atrium's percentile minus the
direct one. Loopback only; the whole run is bounded (about 2 x (T x D + a few s)).

  bench/llm_stream_overhead.py --atrium build/release/src/app/atrium [--streams 100]

Prints a markdown table. Needs Debian's python3-aiohttp.
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

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "..", "tests", "upstream", "fake_openai.py")
KEY = "sk-bench-key-0123456789abcdef"
USER = "00000000-0000-4000-8000-00000000be0c"


def wait_file(path, proc, bound=60):
    deadline = time.monotonic() + bound
    while not os.path.exists(path):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{proc.args[0]} did not start")
        time.sleep(0.02)
    with open(path) as f:
        return json.load(f)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


async def one_stream(session, url, headers, body, ttft, gaps, opened, delay_s=0.0):
    if delay_s > 0:
        await asyncio.sleep(delay_s)
    start = time.perf_counter()
    last = None
    async with session.post(url, json=body, headers=headers) as r:
        if r.status != 200:
            raise RuntimeError(f"{url}: {r.status} {await r.text()}")
        opened.set()
        buf = b""
        async for piece in r.content.iter_any():
            buf += piece
            while b"\n\n" in buf:
                frame, buf = buf.split(b"\n\n", 1)
                if not frame.startswith(b"data: ") or frame == b"data: [DONE]":
                    continue
                chunk = json.loads(frame[6:])
                choices = chunk.get("choices") or []
                if not choices or not choices[0].get("delta", {}).get("content"):
                    continue
                now = time.perf_counter()
                if last is None:
                    ttft.append((now - start) * 1000)
                else:
                    gaps.append((now - last) * 1000)
                last = now


async def run_load(url, headers, model, streams, tokens, on_all_open=None, ramp_ms=0.0):
    body = {"model": model, "stream": True,
            "messages": [{"role": "user", "content": " ".join(f"w{i}" for i in range(tokens - 1))}]}
    ttft, gaps = [], []
    conn = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=600)
    async with aiohttp.ClientSession(connector=conn, timeout=timeout) as session:
        events = [asyncio.Event() for _ in range(streams)]
        tasks = [asyncio.create_task(one_stream(session, url, headers, body, ttft, gaps, e,
                                                ramp_ms / 1000.0 * i / max(streams, 1)))
                 for i, e in enumerate(events)]
        sample = None
        if on_all_open:
            await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), 120)
            await asyncio.sleep(0.2)
            sample = on_all_open()
        await asyncio.gather(*tasks)
    return ttft, gaps, sample


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--atrium", required=True)
    ap.add_argument("--streams", type=int, default=100)
    ap.add_argument("--tokens", type=int, default=50)
    ap.add_argument("--token-delay-ms", type=float, default=20)
    ap.add_argument("--ramp-ms", type=float, default=0.0,
                    help="spread the stream starts over this long (0: all at once, a burst)")
    ap.add_argument("--worker-threads", type=int, default=4, help="Atrium's server.worker_threads")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="atrium-llm-bench-")
    procs = []
    try:
        fake = subprocess.Popen(["/usr/bin/python3", FAKE, "--port", "0", "--ready-file", f"{work}/fake.json",
                                 "--token-delay-ms", str(args.token_delay_ms), "--keep-requests", "10"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(fake)
        fake_port = wait_file(f"{work}/fake.json", fake)["port"]
        conf = f"""
[server]
bind = "127.0.0.1"
io_threads = 1
# The default pool: a streamed chat holds a worker only while it is planned, not while
# the upstream is answering (the transport waits for that).
worker_threads = {args.worker_threads}
[data]
dir = "{work}/data"
[log]
level = "warn"
access_log = false
[security]
rate_limits = false
[security.api_key_users]
{KEY} = "{USER}"
[llm]
base_url = "http://127.0.0.1:{fake_port}/v1"
model = "fake-chat"
max_concurrent = {args.streams * 2}
max_queue = {args.streams * 2}
"""
        for d in ("unamentis", "unichat", "secondbrain", "pisovereign", "mira", "openai"):
            conf += f"[dialects.{d}]\nport = 0\n"
        with open(f"{work}/atrium.toml", "w") as f:
            f.write(conf)
        atrium = subprocess.Popen([args.atrium, "serve", "--config", f"{work}/atrium.toml", "--ready-file",
                                   f"{work}/atrium.json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(atrium)
        port = wait_file(f"{work}/atrium.json", atrium)["openai"]

        direct_url = f"http://127.0.0.1:{fake_port}/v1/chat/completions"
        atrium_url = f"http://127.0.0.1:{port}/v1/chat/completions"
        auth = {"Authorization": f"Bearer {KEY}"}
        # Warm-up: connections, the model list, SQLite pages.
        asyncio.run(run_load(atrium_url, auth, "fake-chat", 4, 5))
        idle = rss_kib(atrium.pid)
        d_ttft, d_gaps, _ = asyncio.run(run_load(direct_url, {}, "fake-chat", args.streams, args.tokens,
                                                 ramp_ms=args.ramp_ms))
        a_ttft, a_gaps, busy = asyncio.run(run_load(atrium_url, auth, "fake-chat", args.streams, args.tokens,
                                                    on_all_open=lambda: rss_kib(atrium.pid), ramp_ms=args.ramp_ms))
        print(f"{args.streams} concurrent streams x {args.tokens} tokens, {args.token_delay_ms:g} ms per token, "
              f"starts spread over {args.ramp_ms:g} ms, {args.worker_threads} workers, loopback; "
              f"atrium = {args.atrium}\n")
        print("| metric | direct p50 | direct p99 | via Atrium p50 | via Atrium p99 | added p50 | added p99 |")
        print("|---|---|---|---|---|---|---|")
        for name, d, a in (("time to first token (ms)", d_ttft, a_ttft), ("gap between tokens (ms)", d_gaps, a_gaps)):
            print(f"| {name} | {pct(d, 50):.2f} | {pct(d, 99):.2f} | {pct(a, 50):.2f} | {pct(a, 99):.2f} | "
                  f"{pct(a, 50) - pct(d, 50):+.2f} | {pct(a, 99) - pct(d, 99):+.2f} |")
        print(f"\nAtrium RSS: idle {idle} KiB, with {args.streams} streams open {busy} KiB: "
              f"{(busy - idle) / args.streams:.1f} KiB per active stream "
              f"(samples: {len(d_ttft)}/{len(a_ttft)} first tokens, {len(d_gaps)}/{len(a_gaps)} gaps)")
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
