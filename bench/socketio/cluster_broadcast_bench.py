#!/usr/bin/env python3
"""Socket.IO broadcast across two instances through Redis: Atrium (two `atrium serve`
sharing a Redis event bus, `redis.url`) against Node (two socket.io 4.8.1 servers with
@socket.io/redis-adapter 8.3.0, tests/node, pinned), same machine, same run, one Redis 7
started by the script, 127.0.0.1 only.

C sockets (default 1000) join the room "bench", half on each instance; one socket on
instance A emits M `publish` events to the room at once (sio_load.cpp, room mode). Measured
until every socket on both instances got all M: messages delivered per second, and the CPU
time of the two servers per delivered message (Redis's own CPU reported beside it).

With --pin (the default on 2 or more CPUs) the servers and Redis share CPU 0 and the
clients run on CPU 1.

Usage: bench/socketio/cluster_broadcast_bench.py [--atrium build/release/src/app/atrium]
       [--clients 1000] [--messages 200] [--runs 1] [--stacks atrium,node] [--no-pin]
Bounded: every wait has a deadline; every process it starts is stopped on exit.
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
sys.path.insert(0, HERE)
import socketio_bench as sb  # noqa: E402  (shares the client, pinning and /proc helpers)

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def wait_port(port, deadline):
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def start_redis(workdir):
    port = sb.free_port()
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", workdir, "--daemonize", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, time.monotonic() + 10)
    return proc, f"redis://127.0.0.1:{port}/0"


def start_atrium(binary, workdir, redis_url):
    os.makedirs(workdir, exist_ok=True)
    ports = ("unamentis", "unichat", "secondbrain", "pisovereign", "mira", "openai")
    lines = ["[server]", 'bind = "127.0.0.1"', "io_threads = 1", "max_connections = 20000",
             "max_connections_per_address = 0", "[data]", f'dir = "{workdir}/data"', "[log]", 'level = "warn"',
             "access_log = false", "[testing]", "echo_routes = true", "[security]", "rate_limits = false",
             "[redis]", f'url = "{redis_url}"']
    for name in ports:
        lines += [f"[dialects.{name}]", "port = 0"]
        if name == "secondbrain":
            lines.append("socket_port = 0")
    config = os.path.join(workdir, "atrium.toml")
    with open(config, "w") as f:
        f.write("\n".join(lines) + "\n")
    ready = os.path.join(workdir, "ready.json")
    log = open(os.path.join(workdir, "atrium.log"), "w")
    proc = subprocess.Popen([binary, "serve", "--config", config, "--ready-file", ready],
                            stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if os.path.exists(ready):
            with open(ready) as f:
                return proc, json.load(f)["pisovereign"]
        if proc.poll() is not None:
            raise RuntimeError("atrium exited: " + open(os.path.join(workdir, "atrium.log")).read())
        time.sleep(0.05)
    raise RuntimeError("atrium did not start")


def start_node(redis_url):
    port = sb.free_port()
    proc = subprocess.Popen(["node", os.path.join(HERE, "reference_cluster_server.js"), str(port), redis_url],
                            stdout=subprocess.PIPE, text=True)
    if proc.stdout.readline().strip() != "ready":
        raise RuntimeError("reference cluster server did not start")
    return proc, port


def stop_all(procs):
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()


def run_once(servers, redis_pid, args):
    """servers: [(pid, port)] for A and B. Returns (receivers, ms, msgs/s, server µs/msg, redis µs/msg)."""
    per = args.clients // 2
    procs = []
    for i, (_, port) in enumerate(servers):
        cmd = [sb.SIO_LOAD, str(port), sb.PATH, str(per if i == 0 else args.clients - per), str(args.messages),
               "1" if i == 0 else "0", "room"]
        if args.pin:
            cmd = ["taskset", "-c", sb.CLIENT_CPU] + cmd
        procs.append(subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
    deadline = time.monotonic() + 180
    try:
        receivers = sum(int(sb.read_line(p, "connected", deadline)[1]) for p in procs)
        time.sleep(1)
        cpu_before = [sb.cpu_seconds(pid) for pid, _ in servers]
        redis_before = sb.cpu_seconds(redis_pid)
        # Receivers first, the trigger last, so that every clock starts before the first publish.
        for p in reversed(procs):
            p.stdin.write("go\n")
            p.stdin.flush()
        slowest, lost = 0, 0
        for p in procs:
            fields = sb.read_line(p, "received", deadline)
            slowest = max(slowest, int(fields[2]))
            lost += int(fields[3])
        cpu = sum(sb.cpu_seconds(pid) - before for (pid, _), before in zip(servers, cpu_before))
        redis_cpu = sb.cpu_seconds(redis_pid) - redis_before
    finally:
        sb.stop_clients(procs)
    if lost:
        raise RuntimeError(f"{lost} sockets lost during the broadcast")
    delivered = receivers * args.messages
    return receivers, slowest, delivered / (max(slowest, 1) / 1000.0), cpu * 1e6 / delivered, redis_cpu * 1e6 / delivered


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--atrium", default=os.path.join(sb.ROOT, "build", "release", "src", "app", "atrium"))
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--stacks", default="atrium,node", help="which of atrium,node to measure")
    parser.add_argument("--no-pin", dest="pin", action="store_false", default=(os.cpu_count() or 1) >= 2)
    args = parser.parse_args()
    if not 2 <= args.clients <= 20000 or args.messages < 1:
        sys.exit("2..20000 sockets and at least one message")
    sb.build_sio_load()

    workdir = tempfile.mkdtemp(prefix="atrium-cluster-bench-")
    procs = []
    rows = []
    try:
        for name in [n for n in ("atrium", "node") if n in args.stacks.split(",")]:
            redis_dir = os.path.join(workdir, name + "-redis")
            os.makedirs(redis_dir)
            redis, redis_url = start_redis(redis_dir)
            procs.append(redis)
            servers = []
            for side in ("a", "b"):
                if name == "atrium":
                    proc, port = start_atrium(args.atrium, os.path.join(workdir, "atrium-" + side), redis_url)
                else:
                    proc, port = start_node(redis_url)
                procs.append(proc)
                servers.append((proc.pid, port))
            if args.pin:
                for pid in [redis.pid] + [pid for pid, _ in servers]:
                    sb.pin_process(pid)
            time.sleep(1)
            for run in range(args.runs):
                receivers, ms, rate, cpu_us, redis_us = run_once(servers, redis.pid, args)
                rows.append((name, run + 1, receivers, ms, rate, cpu_us, redis_us))
                print(f"{name} run {run + 1}: {receivers * args.messages} messages to {receivers} sockets on two "
                      f"instances in {ms} ms = {rate:.0f}/s; servers {cpu_us:.2f} us CPU per message, "
                      f"Redis {redis_us:.2f} us", file=sys.stderr)
                time.sleep(1)
            stop_all(procs)
            procs = []
        pinned = (f"servers and Redis on CPU {sb.SERVER_CPU}, clients on CPU {sb.CLIENT_CPU}" if args.pin
                  else "not pinned")
        print(f"{args.clients} sockets (half on each instance) x {args.messages} room broadcasts; {pinned}\n")
        print("| stack | run | msgs/s | servers' CPU µs/msg | Redis CPU µs/msg |")
        print("|---|---|---|---|---|")
        for name, run, _, _, rate, cpu_us, redis_us in rows:
            label = "Atrium x2 + Redis" if name == "atrium" else "socket.io 4.8.1 + redis-adapter x2"
            print(f"| {label} | {run} | {rate:.0f} | {cpu_us:.2f} | {redis_us:.2f} |")
    finally:
        stop_all(procs)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
