#!/usr/bin/env python3
"""A throw-away PostgreSQL server for the tests (python3 stdlib only).

    pg_server.py start --dir DIR --url-file FILE   initdb + pg_ctl start in DIR, on a free
                                                   127.0.0.1 port; writes the server's URL
                                                   (postgresql://postgres@127.0.0.1:PORT/postgres)
                                                   to FILE
    pg_server.py stop --dir DIR                    pg_ctl stop (fast) and removes DIR
    pg_server.py createdb --url URL [--name NAME]  creates a fresh database and prints its URL

The server is never a system service: it runs from DIR, its socket is in DIR, and it
stops with `stop`. As root the server runs as the non-root `postgres` user (initdb and
postgres refuse root); otherwise as the current user. fsync is off: a test server's data
need not survive a power cut. Debian's binaries are in /usr/lib/postgresql/<major>/bin;
PG_BIN overrides that.

Other tests import it: `create_database(url)` returns the URL of a new, empty database.
"""

import argparse
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
import uuid
import urllib.parse


def bin_dir():
    if os.environ.get("PG_BIN"):
        return os.environ["PG_BIN"]
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise SystemExit("pg_server: no PostgreSQL binaries (scripts/install-deps --test installs them)")
    return os.path.dirname(found[-1])


def tool(name):
    return os.path.join(bin_dir(), name)


def run_as_user():
    """The command prefix that drops root to the `postgres` user, or [] when not root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise SystemExit("pg_server: running as root but there is no `postgres` user to run the server as")
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]


def chown_to_server_user(path):
    if os.geteuid() != 0:
        return
    user = pwd.getpwnam("postgres")
    for root, dirs, files in os.walk(path):
        os.chown(root, user.pw_uid, user.pw_gid)
        for f in files:
            os.chown(os.path.join(root, f), user.pw_uid, user.pw_gid)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(directory, url_file, timeout=60.0, durable=False):
    """Starts a server; `durable` keeps PostgreSQL's defaults (fsync, synchronous commit,
    full-page writes) for benchmarks that compare durable commits."""
    directory = os.path.abspath(directory)
    os.makedirs(directory, exist_ok=True)
    data = os.path.join(directory, "data")
    sock = os.path.join(directory, "socket")
    os.makedirs(sock, exist_ok=True)
    # The server user must be able to reach its directory (a temp dir may be 0700 root).
    os.chmod(directory, 0o755)
    chown_to_server_user(directory)
    prefix = run_as_user()
    subprocess.run(prefix + [tool("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                             "--locale=C.UTF-8", "--no-sync"],
                   check=True, stdout=subprocess.DEVNULL)
    for attempt in range(5):
        port = free_port()
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sock} "
                   + ("" if durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off ")
                   + "-c max_connections=200 -c shared_buffers=32MB")
        log = os.path.join(directory, "server.log")
        r = subprocess.run(prefix + [tool("pg_ctl"), "-D", data, "-l", log, "-o", options, "-w",
                                     "-t", str(int(timeout)), "start"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        if r.returncode == 0:
            break
        time.sleep(0.2)  # the port was taken between the probe and the bind: try another
    else:
        with open(os.path.join(directory, "server.log")) as f:
            raise SystemExit("pg_server: the server did not start:\n" + f.read())
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    if url_file:
        tmp = url_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(url + "\n")
        os.replace(tmp, url_file)
    return url


def stop(directory):
    directory = os.path.abspath(directory)
    data = os.path.join(directory, "data")
    if os.path.exists(os.path.join(data, "postmaster.pid")):
        subprocess.run(run_as_user() + [tool("pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    shutil.rmtree(directory, ignore_errors=True)


def with_database(url, name):
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def psql(url, sql):
    subprocess.run([tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                   check=True, stdout=subprocess.DEVNULL)


def create_database(url, name=None):
    """Creates an empty database on the server at `url`; returns its URL."""
    name = name or "atrium_" + uuid.uuid4().hex[:16]
    psql(url, f'CREATE DATABASE "{name}"')
    return with_database(url, name)


def drop_database(url, name):
    psql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("start")
    p.add_argument("--dir", required=True)
    p.add_argument("--url-file")
    p = sub.add_parser("stop")
    p.add_argument("--dir", required=True)
    p = sub.add_parser("createdb")
    p.add_argument("--url", required=True)
    p.add_argument("--name")
    args = parser.parse_args()
    if args.command == "start":
        stop(args.dir)  # a server left by an interrupted run
        print(start(args.dir, args.url_file))
    elif args.command == "stop":
        stop(args.dir)
    else:
        print(create_database(args.url, args.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
