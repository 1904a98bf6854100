#!/usr/bin/env python3
"""A throw-away Redis server for the tests (python3 stdlib only).

    redis_server.py start --dir DIR --url-file FILE   redis-server in DIR on a free 127.0.0.1
                                                      port, no persistence; writes its URL
                                                      (redis://127.0.0.1:PORT/0) to FILE
    redis_server.py stop --dir DIR                    stops it (SHUTDOWN NOSAVE) and removes DIR
    redis_server.py restart --dir DIR                 stops it and starts it again on the same
                                                      port (clients must reconnect)

The server is never a system service: it runs from DIR (its pid file, log and port are
there) and stops with `stop`. Debian's binary is /usr/bin/redis-server; REDIS_SERVER
overrides that.

Other tests import it: `RedisServer(dir).start()` returns the URL; `.restart()`, `.stop()`.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time


def binary():
    path = os.environ.get("REDIS_SERVER") or shutil.which("redis-server") or "/usr/sbin/redis-server"
    if not os.path.exists(path):
        raise SystemExit("redis_server: no redis-server (scripts/install-deps --test installs it)")
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ping(port, timeout=0.5):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    def __init__(self, directory):
        self.dir = os.path.abspath(directory)

    @property
    def _port_file(self):
        return os.path.join(self.dir, "port")

    @property
    def _pid_file(self):
        return os.path.join(self.dir, "redis.pid")

    def port(self):
        with open(self._port_file) as f:
            return int(f.read().strip())

    def url(self):
        return f"redis://127.0.0.1:{self.port()}/0"

    def _launch(self, port, timeout):
        log = os.path.join(self.dir, "server.log")
        subprocess.run([binary(), "--bind", "127.0.0.1", "--port", str(port), "--dir", self.dir,
                        "--daemonize", "yes", "--pidfile", self._pid_file, "--logfile", log,
                        "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
                       check=True, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ping(port):
                return True
            time.sleep(0.02)
        return False

    def start(self, timeout=20.0, port=None):
        os.makedirs(self.dir, exist_ok=True)
        for _ in range(5):
            chosen = port or free_port()
            if self._launch(chosen, timeout):
                with open(self._port_file, "w") as f:
                    f.write(f"{chosen}\n")
                return f"redis://127.0.0.1:{chosen}/0"
            self._kill()
            if port:
                break
            time.sleep(0.2)  # the port was taken between the probe and the bind: try another
        log = os.path.join(self.dir, "server.log")
        text = open(log).read() if os.path.exists(log) else ""
        raise SystemExit("redis_server: the server did not start:\n" + text)

    def _kill(self):
        try:
            with open(self._pid_file) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.02)
        else:
            os.kill(pid, signal.SIGKILL)
        try:
            os.remove(self._pid_file)
        except OSError:
            pass

    def stop_server(self):
        """Stops the server but keeps DIR (and its port), for restart."""
        self._kill()

    def restart(self, down_seconds=0.0):
        port = self.port()
        self._kill()
        if down_seconds:
            time.sleep(down_seconds)
        return self.start(port=port)

    def stop(self):
        self._kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("start")
    p.add_argument("--dir", required=True)
    p.add_argument("--url-file")
    for name in ("stop", "restart", "pause"):
        p = sub.add_parser(name)
        p.add_argument("--dir", required=True)
    args = parser.parse_args()
    server = RedisServer(args.dir)
    if args.command == "start":
        server.stop()  # a server left by an interrupted run
        url = server.start()
        if args.url_file:
            tmp = args.url_file + ".tmp"
            with open(tmp, "w") as f:
                f.write(url + "\n")
            os.replace(tmp, args.url_file)
        print(url)
    elif args.command == "stop":
        server.stop()
    elif args.command == "pause":
        server.stop_server()
    else:
        print(server.restart())
    return 0


if __name__ == "__main__":
    sys.exit(main())
