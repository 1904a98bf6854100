#!/usr/bin/python3
"""Render latency and throughput of the media core, through unamentis's /api/media/*
routes on a real `atrium serve`, against the way the original UnaMentis server draws
Mermaid: `mmdc` (@mermaid-js/mermaid-cli) spawned once per request.

For each kind (mermaid, graphviz, plantuml, formula, map: the spec's own examples, a
~25-edge digraph and a short sequence diagram) it measures:

  - cold: the first request of that kind after start-up, one sample, on a fresh server
    per kind (the renderer proves itself then: the Node worker and its Chromium, the JVM
    for PlantUML, the map data decoded...);
  - warm, uncached: N requests (default 50), sequential, each with a unique source (a
    comment, or for the formula and the map a label, so the content-hash cache misses);
  - warm, cached: one source N times (the first, not counted, fills the cache);
  - throughput: C clients (threads, default 2) sending unique sources for S seconds
    (default 10, at most --max-requests in all);

and the baseline: `mmdc -i in.mmd -o out.svg -p puppeteer.json` per request on the same
Mermaid source, --baseline-n (default 10) sequential, then the same number over C
parallel clients. Also the server's peak RSS (VmHWM of the atrium process) and the peak
of its render children's (Node worker + Chromium, JVM, dot...) summed PSS, sampled.

  bench/media_bench.py --atrium build/bench/src/app/atrium [-n 50] [--seconds 10]

Needs python3-requests, the media worker's and map data's node_modules
(scripts/install-deps), and for the baseline `PUPPETEER_SKIP_DOWNLOAD=1 npm ci` in
bench/media (it uses Debian's /usr/bin/chromium; no browser is downloaded). Prints a
markdown table. Uses the black-box harness (tests/blackbox) to start Atrium on free
loopback ports in a temporary directory, with SQLite.
"""

import argparse
import copy
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "blackbox"))

from harness import AtriumServer  # noqa: E402

PASSWORD = "correct-horse-7"
MMDC = os.path.join(HERE, "media", "node_modules", ".bin", "mmdc")
CHROMIUM = "/usr/bin/chromium"

MERMAID = "graph LR\n  A --> B"
DOT = "digraph build {\n  rankdir=LR; node [shape=box];\n" + "".join(
    f'  "{a}" -> "{b}";\n' for a, b in [
        ("main", "app"), ("app", "config"), ("app", "transport"), ("app", "dialects"), ("dialects", "core"),
        ("dialects", "http"), ("transport", "http"), ("core", "result"), ("core", "clock"), ("storage", "core"),
        ("app", "storage"), ("storage", "sqlite"), ("storage", "postgres"), ("engines", "core"),
        ("app", "engines"), ("engines", "cairo"), ("engines", "poppler"), ("engines", "rsvg"),
        ("http", "boost_json"), ("transport", "beast"), ("beast", "asio"), ("core", "events"),
        ("events", "redis"), ("app", "jobs"), ("jobs", "core")]) + "}\n"
PLANTUML = """@startuml
actor Learner
participant "Voice app" as App
participant "Atrium" as Server
Learner -> App : "Teach me fractions"
App -> Server : POST /api/sessions
Server --> App : transcript segments
App -> Learner : speaks segment 1
@enduml
"""
QUADRATIC = r"x = \frac{-b \pm \sqrt{b^2-4ac}}{2a}"
MAP = {
    "title": "Italian City-States",
    "center": {"latitude": 43.0, "longitude": 12.0},
    "zoom": 6,
    "style": "educational",
    "width": 800,
    "height": 600,
    "outputFormat": "png",
    "markers": [{"latitude": 41.9, "longitude": 12.5, "label": "Rome", "color": "#E74C3C"}],
    "routes": [{"points": [[41.9, 12.5], [43.7, 11.2]], "label": "Trade Route", "color": "#3498DB", "width": 2.0}],
    "regions": [{"points": [[42.0, 11.0], [42.5, 13.0], [41.5, 13.0]], "label": "Papal States",
                 "fillColor": "#ff0000", "fillOpacity": 0.3}],
}


def diagram(fmt, code, comment):
    def body(tag):
        return {"format": fmt, "code": code if tag is None else comment(code, tag), "outputFormat": "svg"}
    return "/api/media/diagrams/render", body


def formula_body(tag):
    # A label MathJax draws (a TeX comment might be dropped before the cache key is made).
    return {"latex": QUADRATIC if tag is None else QUADRATIC + r" \quad (%s)" % tag}


def map_body(tag):
    spec = copy.deepcopy(MAP)
    if tag is not None:
        spec["markers"][0]["label"] = f"Rome {tag}"
    return spec


KINDS = {
    # kind: (path, body(tag or None)); a new tag makes a new source, None is the plain one.
    "mermaid": diagram("mermaid", MERMAID, lambda c, t: f"{c}\n  %% {t}"),
    "graphviz": diagram("graphviz", DOT, lambda c, t: c.replace("digraph build {", "digraph build {\n  // " + t, 1)),
    "plantuml": diagram("plantuml", PLANTUML, lambda c, t: c.replace("@enduml", f"' {t}\n@enduml", 1)),
    "formula": ("/api/media/formulas/render", formula_body),
    "map": ("/api/media/maps/render", map_body),
}


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def status_kb(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid):
    """Every process under `pid` (its render children and theirs)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def pss_kb(pid):
    """Proportional set size (shared pages split among their users, so a sum over
    Chromium's processes counts each page once)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class ChildrenPeak:
    """Samples the summed PSS of a process's descendants every 0.25 s; keeps the peak."""

    def __init__(self, pid):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.25):
            self.peak = max(self.peak, sum(pss_kb(p) for p in descendants(self.pid)))

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.peak


class Client:
    """Unamentis users on one server, used in turn (so no user's rate limit, 1000 a
    minute with a burst of 100, is reached), each request from its own X-Forwarded-For."""

    def __init__(self, srv, users):
        self.srv = srv
        self._addresses = itertools.count(1)
        self._lock = threading.Lock()
        self.tokens = [self._register() for _ in range(users)]
        self._turn = itertools.cycle(range(users))

    def _headers(self, token):
        with self._lock:
            n = next(self._addresses)
        headers = {"X-Forwarded-For": f"10.88.{n // 256 % 256}.{n % 256}"}
        if token:
            headers["Authorization"] = "Bearer " + token
        return headers

    def _register(self):
        r = requests.post(self.srv.url("unamentis", "/api/auth/register"),
                          json={"email": f"media-bench-{uuid.uuid4().hex[:10]}@example.com", "password": PASSWORD,
                                "display_name": "Media Bench"},
                          headers=self._headers(None), timeout=30)
        assert r.status_code == 201, r.text
        return r.json()["tokens"]["access_token"]

    def post(self, session, path, body, timeout=120):
        with self._lock:
            token = self.tokens[next(self._turn)]
        t0 = time.perf_counter()
        r = session.post(self.srv.url("unamentis", path), json=body, headers=self._headers(token), timeout=timeout)
        ms = (time.perf_counter() - t0) * 1000
        if r.status_code != 200 or not r.json().get("success"):
            raise RuntimeError(f"{path}: {r.status_code} {r.text[:500]}")
        return ms, r.content


def start_server(args):
    config = {"security": {"trusted_proxies": ["127.0.0.1"]}, "log": {"level": "warn", "access_log": False}}
    if args.media_workers:
        config["media"] = {"workers": args.media_workers}
    return AtriumServer(config=config, startup_timeout=60).start()


def stop_server(srv):
    code = srv.stop()
    if code != 0:
        print(f"warning: atrium exited with {code}:\n{srv.log()[-2000:]}", file=sys.stderr)
    srv.cleanup()


def cold_samples(args):
    """The first request of each kind, each on a fresh server."""
    out = {}
    for kind, (path, body) in KINDS.items():
        srv = start_server(args)
        try:
            client = Client(srv, 1)
            with requests.Session() as s:
                out[kind] = client.post(s, path, body(None))[0]
        finally:
            stop_server(srv)
    return out


def sequential(client, path, bodies):
    with requests.Session() as s:
        return [client.post(s, path, b)[0] for b in bodies]


def throughput(client, path, body, clients, seconds, max_requests):
    counter = itertools.count()
    done, latencies, errors = [0] * clients, [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def run(i):
        with requests.Session() as s:
            while time.monotonic() < deadline:
                n = next(counter)
                if n >= max_requests:
                    return
                try:
                    ms, _ = client.post(s, path, body(f"t{n}-{uuid.uuid4().hex[:6]}"))
                except Exception as e:  # noqa: BLE001 - reported below
                    errors.append(str(e))
                    return
                with lock:
                    latencies.append(ms)
                done[i] += 1

    t0 = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    if errors:
        raise RuntimeError(errors[0])
    return sum(done) / wall, sum(done), latencies


def mmdc_once(workdir, i, puppeteer):
    d = os.path.join(workdir, f"r{i}")
    os.makedirs(d, exist_ok=True)
    src, out = os.path.join(d, "in.mmd"), os.path.join(d, "out.svg")
    with open(src, "w") as f:
        f.write(MERMAID + "\n")
    t0 = time.perf_counter()
    p = subprocess.run([MMDC, "-i", src, "-o", out, "-p", puppeteer], capture_output=True, text=True, timeout=120)
    ms = (time.perf_counter() - t0) * 1000
    if p.returncode != 0 or not os.path.exists(out):
        raise RuntimeError(f"mmdc exited with {p.returncode}: {p.stderr[-1000:]}")
    return ms


def baseline(n, clients):
    workdir = tempfile.mkdtemp(prefix="atrium-mmdc-")
    try:
        puppeteer = os.path.join(workdir, "puppeteer.json")
        with open(puppeteer, "w") as f:
            json.dump({"executablePath": CHROMIUM, "args": ["--no-sandbox", "--headless=new"]}, f)
        mmdc_once(workdir, "warm", puppeteer)  # the page cache: node's modules and Chromium's files read once
        seq = [mmdc_once(workdir, i, puppeteer) for i in range(n)]
        counter = itertools.count()
        errors = []

        def run():
            while (i := next(counter)) < n:
                try:
                    mmdc_once(workdir, f"p{i}", puppeteer)
                except Exception as e:  # noqa: BLE001 - reported below
                    errors.append(str(e))
                    return

        t0 = time.monotonic()
        threads = [threading.Thread(target=run) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
        if errors:
            raise RuntimeError(errors[0])
        return seq, n / wall
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--atrium", default=os.path.join(HERE, "..", "build", "bench", "src", "app", "atrium"))
    ap.add_argument("-n", type=int, default=50, help="warm requests per kind, uncached and cached")
    ap.add_argument("--baseline-n", type=int, default=10, help="mmdc spawns, sequential and parallel")
    ap.add_argument("--clients", type=int, default=2, help="parallel clients for the throughput runs")
    ap.add_argument("--seconds", type=float, default=10, help="length of each throughput run")
    ap.add_argument("--max-requests", type=int, default=2000, help="bound of each throughput run")
    ap.add_argument("--users", type=int, default=20, help="users the requests are spread over")
    ap.add_argument("--media-workers", type=int, default=0, help="media.workers (default: the server's, 1)")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated subset of " + ",".join(KINDS))
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    os.environ["ATRIUM_BIN"] = os.path.abspath(args.atrium)
    kinds = [k for k in args.kinds.split(",") if k]
    for k in kinds:
        if k not in KINDS:
            ap.error(f"unknown kind {k}")
    if not args.no_baseline and not os.path.exists(MMDC):
        ap.error(f"{MMDC} is missing: run `PUPPETEER_SKIP_DOWNLOAD=1 npm ci` in bench/media (or --no-baseline)")

    load_before = os.getloadavg()[0]
    print("cold starts (a fresh server per kind)...", file=sys.stderr)
    cold = {k: v for k, v in cold_samples(args).items() if k in kinds}

    rows = {}
    srv = start_server(args)
    pid = srv.proc.pid
    try:
        client = Client(srv, args.users)
        idle = status_kb(pid, "VmRSS")
        peak_children = ChildrenPeak(pid)
        for kind in kinds:
            print(f"{kind}...", file=sys.stderr)
            path, body = KINDS[kind]
            with requests.Session() as s:
                client.post(s, path, body("warm-up"))  # this server's cold start, not counted
                run = uuid.uuid4().hex[:6]
                uncached = [client.post(s, path, body(f"u{i}-{run}"))[0] for i in range(args.n)]
                _, first = client.post(s, path, body(None))
                cached = []
                for _ in range(args.n):
                    ms, again = client.post(s, path, body(None))
                    assert again == first, f"{kind}: the cached answer differs"
                    cached.append(ms)
            rps, count, lat = throughput(client, path, body, args.clients, args.seconds, args.max_requests)
            rows[kind] = {"cold": cold.get(kind), "uncached": uncached, "cached": cached, "rps": rps,
                          "count": count, "lat": lat}
        children = peak_children.stop()
        peak = status_kb(pid, "VmHWM")
    finally:
        stop_server(srv)

    base = None
    if not args.no_baseline and "mermaid" in kinds:
        print(f"baseline: mmdc x {args.baseline_n} sequential, then over {args.clients} clients...", file=sys.stderr)
        base = baseline(args.baseline_n, args.clients)

    c = args.clients
    print(f"| kind | cold (first request) | uncached p50 / p99 (n={args.n}) | cached p50 / p99 (n={args.n}) "
          f"| {c} clients, unique sources: req/s (p50 / p99) |")
    print("|---|---|---|---|---|")
    for kind, r in rows.items():
        cold_ms = "n/a" if r["cold"] is None else f"{r['cold']:.0f} ms"
        print(f"| {kind} | {cold_ms} | {pct(r['uncached'], 50):.1f} / {pct(r['uncached'], 99):.1f} ms "
              f"| {pct(r['cached'], 50):.2f} / {pct(r['cached'], 99):.2f} ms "
              f"| {r['rps']:.1f} ({r['count']} in all; {pct(r['lat'], 50):.0f} / {pct(r['lat'], 99):.0f} ms) |")
    if base:
        seq, prps = base
        print(f"| mermaid via `mmdc` per request (baseline) | every request is cold "
              f"| {pct(seq, 50):.0f} / {pct(seq, 99):.0f} ms (n={args.baseline_n}) | no cache "
              f"| {prps:.2f} ({args.baseline_n} in all) |")
    print()
    print(f"Atrium RSS idle (before the warm runs, after {args.users} registrations): {idle / 1024:.1f} MB; "
          f"peak (VmHWM) after the run: {peak / 1024:.1f} MB; "
          f"its render children's summed PSS at peak (sampled every 0.25 s): {children / 1024:.1f} MB")
    print(f"Load average (1 min): {load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end "
          f"(on {os.cpu_count()} CPUs: other work on the machine shows here)")


if __name__ == "__main__":
    main()
