#!/usr/bin/env python3
"""Socket.IO benchmark: Atrium's echo namespace against the reference Node socket.io
server (tests/node, pinned), same machine, same run, 127.0.0.1 only.

  1. idle memory: N sockets (default 5000, WebSocket transport) connected and idle; the
     server's VmRSS growth divided by N.
  2. broadcast throughput: C sockets (default 1000) connected; one asks for M broadcasts
     of a small event; messages delivered per second until every socket got all M.
     Measured twice: with the light C++ client (sio_load.cpp: epoll, one thread, counts
     and compares the tick frames), which measures the servers, and with the official
     socket.io-client, whose own decoding is then the limit.

With --pin (the default on 2 or more CPUs) each server runs on CPU 0 only and every
client on CPU 1, so both servers get the same single core and the clients never take it.

Usage: bench/socketio/socketio_bench.py [--atrium build/release/src/app/atrium]
       [--idle 5000] [--clients 1000] [--messages 200] [--io-threads 1]
       [--client both|raw|official] [--no-pin]
Bounded: at most 20000 sockets, every wait has a deadline, every process it starts is
stopped on exit.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CLIENTS_JS = os.path.join(HERE, "clients.js")
SIO_LOAD_CPP = os.path.join(HERE, "sio_load.cpp")
SIO_LOAD = os.path.join(ROOT, "build", "bench-tools", "sio_load")
PATH = "/__atrium/echo/socket.io/"
PER_PROCESS = 1000
SERVER_CPU = "0"
CLIENT_CPU = "1"


def build_sio_load():
    if os.path.exists(SIO_LOAD) and os.path.getmtime(SIO_LOAD) >= os.path.getmtime(SIO_LOAD_CPP):
        return
    os.makedirs(os.path.dirname(SIO_LOAD), exist_ok=True)
    subprocess.run(["g++", "-O2", "-std=c++20", "-Wall", "-Wextra", "-o", SIO_LOAD, SIO_LOAD_CPP], check=True)


def pin_process(pid):
    # Every thread of the server, present and future (threads inherit the mask).
    subprocess.run(["taskset", "-apc", SERVER_CPU, str(pid)], check=True, stdout=subprocess.DEVNULL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid):
    # utime + stime of the whole process (every thread), from /proc/<pid>/stat.
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_line(proc, prefix, deadline):
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"client exited: {proc.stderr.read()[-500:]}")
        if line.startswith("unexpected"):
            raise RuntimeError(f"a client got frames it did not expect: {line.strip()}")
        if line.startswith(prefix):
            return line.split()
    raise RuntimeError(f"timed out waiting for {prefix}")


def spawn_clients(mode, url, total, messages=0, client="official", pin=False, pattern="burst"):
    procs = []
    left = total
    i = 0
    while left > 0:
        if client == "raw":  # one process holds every socket (a paced trigger must see them all)
            n = left
            port = url.rsplit(":", 1)[1]
            args = [SIO_LOAD, port, PATH, str(n), str(messages), "1" if i == 0 else "0", pattern]
        else:
            n = min(PER_PROCESS, left)
            args = ["node", CLIENTS_JS, mode, url, str(n)]
            if mode == "broadcast":
                args += [str(messages), "1" if i == 0 else "0"]
        if pin:
            args = ["taskset", "-c", CLIENT_CPU] + args
        procs.append(subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
        left -= n
        i += 1
    return procs


def stop_clients(procs):
    for p in procs:
        try:
            p.stdin.close()
        except OSError:
            pass
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()


def broadcast(pid, url, args, client, pattern):
    procs = spawn_clients("broadcast", url, args.clients, args.messages, client, args.pin, pattern)
    deadline = time.monotonic() + 180
    receivers = 0
    lost = 0
    try:
        for p in procs:
            receivers += int(read_line(p, "connected", deadline)[1])
        time.sleep(1)
        cpu_before = cpu_seconds(pid)
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        slowest = 0
        for p in procs:
            fields = read_line(p, "received", deadline)
            slowest = max(slowest, int(fields[2]))
            if len(fields) > 3:
                lost += int(fields[3])
        cpu = cpu_seconds(pid) - cpu_before
    finally:
        stop_clients(procs)
    if lost:
        raise RuntimeError(f"{lost} sockets lost during the broadcast")
    delivered = receivers * args.messages
    return receivers, delivered, slowest, delivered / (max(slowest, 1) / 1000.0), cpu * 1e6 / delivered


def measure(name, pid, url, args):
    # Idle memory (official clients: they send the handshake headers a real client sends).
    time.sleep(1)
    before = rss_kib(pid)
    procs = spawn_clients("idle", url, args.idle, pin=args.pin)
    deadline = time.monotonic() + 180
    ok = failed = 0
    try:
        for p in procs:
            fields = read_line(p, "connected", deadline)
            ok += int(fields[1])
            failed += int(fields[2])
        time.sleep(3)  # let the heartbeats and allocator settle
        after = rss_kib(pid)
    finally:
        stop_clients(procs)
    per_conn = (after - before) * 1024 / max(ok, 1)
    time.sleep(2)

    # Broadcast throughput, with each client kind asked for.
    result = {"connected": ok, "failed": failed, "rss_before_kib": before, "rss_after_kib": after,
              "per_connection_bytes": per_conn, "broadcast": {}}
    print(f"{name}: idle {before} KiB -> {after} KiB with {ok} sockets ({failed} failed to connect) = "
          f"{per_conn / 1024:.1f} KiB each", file=sys.stderr)
    for kind in args.clients_kinds:
        client, pattern = kind.split(" ")
        receivers, delivered, ms, rate, cpu_us = broadcast(pid, url, args, client, pattern)
        result["broadcast"][kind] = {"receivers": receivers, "ms": ms, "messages_per_second": rate,
                                     "server_cpu_us_per_message": cpu_us}
        print(f"{name}: broadcast ({kind}) {delivered} messages to {receivers} sockets in {ms} ms = "
              f"{rate:.0f}/s, server CPU {cpu_us:.2f} us per message", file=sys.stderr)
        time.sleep(1)
    return result


def start_atrium(binary, workdir, io_threads):
    ports = {name: 0 for name in ("unamentis", "unichat", "secondbrain", "pisovereign", "mira", "openai")}
    lines = ["[server]", 'bind = "127.0.0.1"', f"io_threads = {io_threads}", "max_connections = 20000",
             "max_connections_per_address = 0",  # every client is on loopback
             "[data]", f'dir = "{workdir}/data"', "[log]", 'level = "warn"', "access_log = false",
             "[testing]", "echo_routes = true", "[security]", "rate_limits = false"]
    for name, port in ports.items():
        lines += [f"[dialects.{name}]", f"port = {port}"]
        if name == "secondbrain":
            lines.append("socket_port = 0")
    text = "\n".join(lines)
    config = os.path.join(workdir, "atrium.toml")
    with open(config, "w") as f:
        f.write(text + "\n")
    ready = os.path.join(workdir, "ready.json")
    proc = subprocess.Popen([binary, "serve", "--config", config, "--ready-file", ready],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(workdir, "atrium.log"), "w"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if os.path.exists(ready):
            with open(ready) as f:
                return proc, json.load(f)["pisovereign"]
        if proc.poll() is not None:
            raise RuntimeError("atrium exited: " + open(os.path.join(workdir, "atrium.log")).read())
        time.sleep(0.05)
    raise RuntimeError("atrium did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--atrium", default=os.path.join(ROOT, "build", "release", "src", "app", "atrium"))
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--io-threads", type=int, default=1)
    parser.add_argument("--client", choices=("both", "raw", "official"), default="both")
    parser.add_argument("--no-pin", dest="pin", action="store_false", default=(os.cpu_count() or 1) >= 2)
    args = parser.parse_args()
    if args.idle > 20000 or args.clients > 20000:
        sys.exit("at most 20000 sockets")
    if args.messages < 1:
        sys.exit("at least one message")
    args.clients_kinds = ([] if args.client == "official" else ["raw burst", "raw paced"]) + \
        ([] if args.client == "raw" else ["official burst"])
    if args.client != "official":
        build_sio_load()

    workdir = tempfile.mkdtemp(prefix="atrium-sio-bench-")
    procs = []
    try:
        atrium, port = start_atrium(args.atrium, workdir, args.io_threads)
        procs.append(atrium)
        if args.pin:
            pin_process(atrium.pid)
        node_port = free_port()
        node = subprocess.Popen(["node", os.path.join(HERE, "reference_server.js"), str(node_port)],
                                stdout=subprocess.PIPE, text=True)
        procs.append(node)
        if node.stdout.readline().strip() != "ready":
            raise RuntimeError("reference server did not start")
        if args.pin:
            pin_process(node.pid)

        results = {
            "atrium": measure("atrium", atrium.pid, f"http://127.0.0.1:{port}", args),
            "node socket.io 4.8.1": measure("node", node.pid, f"http://127.0.0.1:{node_port}", args),
        }
        a, n = results["atrium"], results["node socket.io 4.8.1"]
        pinned = f"servers on CPU {SERVER_CPU}, clients on CPU {CLIENT_CPU}" if args.pin else "not pinned"
        print(f"Atrium io_threads={args.io_threads}; {pinned}; {args.clients} sockets x {args.messages} broadcasts\n")
        print("| server | idle sockets connected | bytes per idle socket | "
              + " | ".join(f"msgs/s, {k}" for k in args.clients_kinds) + " |")
        print("|---|---|---|" + "---|" * len(args.clients_kinds))
        for name, r in results.items():
            rates = " | ".join(f"{r['broadcast'][k]['messages_per_second']:.0f}" for k in args.clients_kinds)
            print(f"| {name} | {r['connected']} (+{r['failed']} failed) | {r['per_connection_bytes']:.0f} | {rates} |")
        print(f"\nmemory ratio node/atrium: {n['per_connection_bytes'] / a['per_connection_bytes']:.2f}")
        for k in args.clients_kinds:
            ratio = a["broadcast"][k]["messages_per_second"] / n["broadcast"][k]["messages_per_second"]
            cpu = n["broadcast"][k]["server_cpu_us_per_message"] / max(a["broadcast"][k]["server_cpu_us_per_message"], 1e-9)
            print(f"throughput ratio atrium/node ({k}): {ratio:.2f}; server CPU per message node/atrium: {cpu:.2f}")
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
