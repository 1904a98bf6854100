#!/usr/bin/python3
"""An authenticated JSON read on each storage driver, against nginx's static route, in one run.

The request is unichat's `GET /api/conversations/:id` with a bearer token: the access
token's check plus one read of a stored conversation. The same
answer's bytes are served by nginx as a static file, for the floor on this machine.
Every server listens on 127.0.0.1; wrk (Debian's) drives each in turn with the same
connections and duration, after a warm-up.

  bench/auth_read_bench.py --atrium build/release/src/app/atrium \
      [--postgres-url postgresql://...] [--start-postgres] [--connections 64] [--seconds 10]

Without a PostgreSQL URL, `--start-postgres` starts a throw-away server with
tests/support/pg_server.py (initdb/pg_ctl in a temporary directory, as the `postgres`
user when run as root, with PostgreSQL's durable defaults); with neither, only SQLite
and nginx are measured. Prints a markdown table. Needs wrk and nginx (bench/run.sh
installs them).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PASSWORD = "Bench-Passw0rd-read!"


def wait_file(path, proc, bound=60):
    deadline = time.monotonic() + bound
    while not os.path.exists(path):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{proc.args[0]} did not start")
        time.sleep(0.02)
    time.sleep(0.05)
    with open(path) as f:
        return json.load(f)


def call(method, url, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read()


def start_atrium(binary, work, storage_url):
    os.makedirs(work, exist_ok=True)
    conf = f"""
[server]
bind = "127.0.0.1"
io_threads = 1
max_connections_per_address = 0
[data]
dir = "{work}/data"
[log]
level = "warn"
access_log = false
[security]
rate_limits = false
"""
    if storage_url:
        conf += f'[storage]\nurl = "{storage_url}"\n'
    for d in ("unamentis", "unichat", "secondbrain", "pisovereign", "mira", "openai"):
        conf += f"[dialects.{d}]\nport = 0\n"
    with open(f"{work}/atrium.toml", "w") as f:
        f.write(conf)
    proc = subprocess.Popen([binary, "serve", "--config", f"{work}/atrium.toml", "--ready-file", f"{work}/ready.json"],
                            stdout=subprocess.DEVNULL, stderr=open(f"{work}/stderr.log", "w"))
    port = wait_file(f"{work}/ready.json", proc)["unichat"]
    return proc, f"http://127.0.0.1:{port}"


def prepare(base):
    """A user with one conversation; returns (token, path, body)."""
    email = f"reader-{uuid.uuid4().hex[:8]}@example.com"
    call("POST", f"{base}/api/auth/register", {"email": email, "password": PASSWORD, "display_name": "Reader"})
    _, body = call("POST", f"{base}/api/auth/login", {"email": email, "password": PASSWORD})
    token = json.loads(body)["access_token"]
    _, body = call("POST", f"{base}/api/conversations", {"title": "bench read"}, token)
    conv = json.loads(body)
    conv_id = conv.get("id") or conv.get("conversation", {}).get("id")
    path = f"/api/conversations/{conv_id}"
    status, body = call("GET", f"{base}{path}", None, token)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status}")
    return token, path, body


def wrk(url, connections, seconds, token=None):
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = "; ".join(m.strip() for m in re.findall(r"(Socket errors:.*|Non-2xx or 3xx responses:.*)", out))
    return rps, float(p99.group(1)) * scale, errors


def start_nginx(work, body):
    ngx = f"{work}/nginx"
    os.makedirs(f"{ngx}/www/api/conversations", exist_ok=True)
    with open(f"{ngx}/www/read.json", "wb") as f:
        f.write(body)
    for d, _, files in os.walk(work):
        os.chmod(d, 0o755)
        for name in files:
            os.chmod(os.path.join(d, name), 0o644)
    port = free_port()
    with open(f"{ngx}/nginx.conf", "w") as f:
        f.write(f"""daemon off;
worker_processes 1;
pid {ngx}/nginx.pid;
error_log {ngx}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  default_type application/json;
  client_body_temp_path {ngx}/cb; proxy_temp_path {ngx}/px; fastcgi_temp_path {ngx}/fc;
  uwsgi_temp_path {ngx}/uw; scgi_temp_path {ngx}/sc;
  server {{ listen 127.0.0.1:{port}; root {ngx}/www; }}
}}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen([nginx, "-p", ngx, "-c", f"{ngx}/nginx.conf", "-e", f"{ngx}/error.log"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/read.json"
    for _ in range(100):
        try:
            call("GET", url)
            return proc, url
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("nginx did not start")


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc):
    if proc is not None and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--atrium", required=True)
    ap.add_argument("--postgres-url", default="")
    ap.add_argument("--start-postgres", action="store_true")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="atrium-read-bench-")
    procs, pg = [], None
    try:
        pg_url = args.postgres_url
        if not pg_url and args.start_postgres:
            sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
            import pg_server  # noqa: E402 (the test suite's throw-away PostgreSQL)
            pg = os.path.join(tempfile.gettempdir(), os.path.basename(work) + "-pg")  # the server user reaches /tmp
            pg_url = pg_server.create_database(pg_server.start(pg, None, durable=True), "bench_read")
        drivers = [("atrium, SQLite", "")] + ([("atrium, PostgreSQL", pg_url)] if pg_url else [])
        rows, body = [], None
        for name, url in drivers:
            proc, base = start_atrium(args.atrium, os.path.join(work, name.split()[-1].lower()), url)
            procs.append(proc)
            token, path, body = prepare(base)
            wrk(base + path, args.connections, 2, token)  # warm-up
            rows.append((name, f"GET /api/conversations/:id (bearer)") + wrk(base + path, args.connections,
                                                                            args.seconds, token))
            stop(proc)
        ngx, url = start_nginx(work, body)
        procs.append(ngx)
        wrk(url, args.connections, 2)
        rows.append(("nginx", "the same bytes, static file") + wrk(url, args.connections, args.seconds))
        print(f"wrk -t1 -c{args.connections} -d{args.seconds}s, loopback, io_threads = 1 / worker_processes 1; "
              f"atrium = {args.atrium}\n")
        print("| server | route | requests/s | p99 (ms) | errors |")
        print("|---|---|---|---|---|")
        for name, route, rps, p99, errors in rows:
            print(f"| {name} | {route} | {rps:.0f} | {p99:.2f} | {errors or 'none'} |")
        return 0
    finally:
        for p in procs:
            stop(p)
        if pg is not None:
            pg_server.stop(pg)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
