#!/usr/bin/python3
"""Login cost: an unknown email must cost the same as a wrong password (no account
enumeration by timing), and a burst of logins must stay within bounded memory.

Run from the repository root after a release build:
    /usr/bin/python3 bench/login_timing.py [--rounds 200] [--clients 32] [--seconds 10]
Prints a markdown table. Needs Debian's python3-requests. Only talks to 127.0.0.1.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time

import requests


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.environ.get("ATRIUM_BIN", "build/release/src/app/atrium"))
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=10.0)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="atrium-login-bench-")
    port = free_port()
    config = os.path.join(work, "atrium.toml")
    with open(config, "w") as f:
        f.write(f"""[server]\nbind = "127.0.0.1"\n[log]\naccess_log = false\nlevel = "warn"\n[data]\ndir = "{work}/data"\n
[security]\nrate_limits = false\ntrusted_proxies = ["127.0.0.1"]\n[dialects.unichat]\nport = {port}\n""")
        for name in ("unamentis", "secondbrain", "pisovereign", "mira"):
            f.write(f"[dialects.{name}]\nenabled = false\n")
    proc = subprocess.Popen([args.bin, "serve", "--config", config], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if requests.get(base + "/api/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.05)
        r = requests.post(base + "/api/auth/register",
                          json={"email": "bench@example.com", "password": "Bench-Passw0rd", "display_name": "Bench"})
        assert r.status_code == 201, r.text
        idle = rss_kib(proc.pid, "VmRSS")

        # Each request comes "through a proxy" from its own address, so the temporary
        # lockout after repeated failures (per account and address) never kicks in and
        # every login really verifies a hash.
        counter = [0]

        def addr():
            with lock:
                counter[0] += 1
                n = counter[0]
            return {"X-Forwarded-For": f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"}

        lock = threading.Lock()
        session = requests.Session()
        timings = {"unknown email": [], "wrong password": []}
        bodies = {"unknown email": {"email": "nobody@example.com", "password": "Wrong-Passw0rd"},
                  "wrong password": {"email": "bench@example.com", "password": "Wrong-Passw0rd"}}
        answers = {}
        for i in range(args.rounds):
            # Interleaved, so drift on the machine hits both alike.
            for kind in (("unknown email", "wrong password") if i % 2 == 0 else ("wrong password", "unknown email")):
                t0 = time.perf_counter()
                r = session.post(base + "/api/auth/login", json=bodies[kind], headers=addr())
                timings[kind].append((time.perf_counter() - t0) * 1000)
                answers.setdefault(kind, (r.status_code, r.text))
        assert answers["unknown email"] == answers["wrong password"], answers

        # A burst of concurrent logins: throughput and the memory high-water mark.
        stop = time.monotonic() + args.seconds
        done = [0]

        def client():
            s = requests.Session()
            while time.monotonic() < stop:
                s.post(base + "/api/auth/login", json=bodies["wrong password"], headers=addr())
                with lock:
                    done[0] += 1

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        peak = rss_kib(proc.pid, "VmHWM")
        after = rss_kib(proc.pid, "VmRSS")

        med = {k: statistics.median(v) for k, v in timings.items()}
        mean = {k: statistics.fmean(v) for k, v in timings.items()}
        print("| login | median ms | mean ms |")
        print("|---|---|---|")
        for k in timings:
            print(f"| {k} | {med[k]:.1f} | {mean[k]:.1f} |")
        print(f"\nunknown/wrong median ratio: {med['unknown email'] / med['wrong password']:.3f} "
              f"(goal: within 0.90-1.10), same answer: {answers['unknown email'][0]}")
        print(f"\n{args.clients} concurrent clients for {args.seconds:.0f} s: {done[0] / args.seconds:.1f} logins/s; "
              f"RSS idle {idle / 1024:.1f} MB, peak {peak / 1024:.1f} MB, after {after / 1024:.1f} MB")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
