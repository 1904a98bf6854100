"""Black-box harness: starts the real `atrium` binary on free ports with a temporary
data directory and talks to it over real sockets.

Later issues reuse `AtriumServer` for their own dialect tests:

    with AtriumServer(config={"server": {"header_timeout_ms": 1500}}) as srv:
        r = requests.get(srv.url("unamentis", "/health"))

With ATRIUM_TEST_POSTGRES_URL (or ATRIUM_TEST_POSTGRES_URL_FILE, as ctest's `postgres`
fixture sets it) naming a test PostgreSQL server, every server stores its rows in a fresh
database there (`storage.url`), one per data directory, so a restart on the same data
directory finds its rows again.
"""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import pg_server  # noqa: E402  (tests/support, stdlib only)

DIALECTS = ("unamentis", "unichat", "secondbrain", "pisovereign", "mira", "openai")


def atrium_binary():
    path = os.environ.get("ATRIUM_BIN")
    if not path or not os.path.exists(path):
        raise unittest.SkipTest("ATRIUM_BIN is not set to the atrium binary")
    return path


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value))


def to_toml(tables):
    """Renders {"server": {"bind": "127.0.0.1"}, "dialects.mira": {...}} as TOML."""
    lines = []
    for table, values in tables.items():
        lines.append(f"[{table}]")
        for key, value in values.items():
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def postgres_server_url():
    """The test PostgreSQL server's URL, or None when the tests run on SQLite."""
    url = os.environ.get("ATRIUM_TEST_POSTGRES_URL")
    if url:
        return url
    path = os.environ.get("ATRIUM_TEST_POSTGRES_URL_FILE")
    if path and os.path.exists(path):
        with open(path) as f:
            return f.read().strip() or None
    return None


def postgres_database_for(data_dir):
    """The URL of the database that belongs to `data_dir`, created on first use."""
    server = postgres_server_url()
    if not server:
        return None
    os.makedirs(data_dir, exist_ok=True)
    marker = os.path.join(data_dir, ".test-postgres-url")
    if os.path.exists(marker):
        with open(marker) as f:
            return f.read().strip()
    url = pg_server.create_database(server)
    with open(marker, "w") as f:
        f.write(url + "\n")
    return url


class _Row(tuple):
    """A row from PostgreSQL, like sqlite3.Row: row[0] or row["column"]."""

    def __new__(cls, mapping):
        row = super().__new__(cls, mapping.values())
        row.names = list(mapping)
        return row

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names.index(key))
        return tuple.__getitem__(self, key)


def _bind_literals(statement, params):
    """`statement` with each `?` replaced by its parameter as a PostgreSQL literal (for
    psql, which takes no parameters). The tests' statements have no `?` in literals."""
    parts = statement.split("?")
    if len(parts) != len(params) + 1:
        raise ValueError(f"{len(params)} parameters for {len(parts) - 1} placeholders")
    out = parts[0]
    for value, rest in zip(params, parts[1:]):
        if value is None:
            literal = "NULL"
        elif isinstance(value, (bool, int, float)):
            literal = repr(int(value) if isinstance(value, bool) else value)
        else:
            literal = "'" + str(value).replace("'", "''") + "'"
        out += literal + rest
    return out


def merge(base, extra):
    out = {k: dict(v) for k, v in base.items()}
    for table, values in (extra or {}).items():
        out.setdefault(table, {}).update(values)
    return out


class AtriumServer:
    """A running `atrium serve`. Every dialect listens on a free 127.0.0.1 port."""

    def __init__(self, config=None, env=None, startup_timeout=30.0, data_dir=None):
        self.workdir = tempfile.mkdtemp(prefix="atrium-test-")
        self.data_dir = data_dir or os.path.join(self.workdir, "data")
        base = {
            "server": {"bind": "127.0.0.1", "io_threads": 2},
            "data": {"dir": self.data_dir},
            "log": {"level": "info", "access_log": True},
        }
        for name in DIALECTS:
            base[f"dialects.{name}"] = {"port": 0}
        base["dialects.secondbrain"]["socket_port"] = 0  # its Socket.IO listener
        self.owns_data_dir = data_dir is None
        self.postgres_url = None
        if "url" not in (config or {}).get("storage", {}):
            self.postgres_url = postgres_database_for(self.data_dir)
            if self.postgres_url:
                base["storage"] = {"url": self.postgres_url}
        self.config = merge(base, config)
        self.env = env or {}
        self.startup_timeout = startup_timeout
        self.proc = None
        self.ports = {}
        self.log_path = os.path.join(self.workdir, "server.log")

    def start(self):
        config_path = os.path.join(self.workdir, "atrium.toml")
        with open(config_path, "w") as f:
            f.write(to_toml(self.config))
        ready = os.path.join(self.workdir, "ready.json")
        env = dict(os.environ)
        env.update(self.env)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [atrium_binary(), "serve", "--config", config_path, "--ready-file", ready],
            stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=self.workdir)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if os.path.exists(ready):
                with open(ready) as f:
                    self.ports = json.load(f)
                return self
            if self.proc.poll() is not None:
                raise RuntimeError(f"atrium exited with {self.proc.returncode}:\n{self.log()}")
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"atrium did not become ready:\n{self.log()}")

    def port(self, dialect):
        return self.ports[dialect]

    def url(self, dialect, path):
        return f"http://127.0.0.1:{self.ports[dialect]}{path}"

    def connect(self, dialect, timeout=5.0):
        return socket.create_connection(("127.0.0.1", self.ports[dialect]), timeout=timeout)

    def signal(self, signo=signal.SIGTERM):
        self.proc.send_signal(signo)

    def wait(self, timeout=30.0):
        return self.proc.wait(timeout=timeout)

    def stop(self, timeout=30.0):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "_log", None):
            self._log.close()
        return self.proc.returncode if self.proc else None

    def log(self):
        try:
            with open(self.log_path) as f:
                return f.read()
        except OSError:
            return ""

    def cleanup(self):
        shutil.rmtree(self.workdir, ignore_errors=True)
        if self.postgres_url and self.owns_data_dir:
            try:
                pg_server.drop_database(postgres_server_url(), self.postgres_url.rsplit("/", 1)[1])
            except Exception:  # best effort: the test server goes at the end of the run anyway
                pass

    # --- the server's database, from outside the server (either driver) ---------------

    def sql(self, statement, params=()):
        """Runs one SQL statement (`?` placeholders) on the server's database, the SQLite
        file or the PostgreSQL database, in its own transaction; returns the rows a
        query gives, each indexable by position and by column name."""
        if not self.postgres_url:
            conn = sqlite3.connect(os.path.join(self.data_dir, "atrium.db"), timeout=10)
            conn.row_factory = sqlite3.Row
            try:
                with conn:
                    return conn.execute(statement, params).fetchall()
            finally:
                conn.close()
        bound = _bind_literals(statement, params)
        if not bound.lstrip().upper().startswith("SELECT"):
            pg_server.psql(self.postgres_url, bound)
            return []
        out = subprocess.run([pg_server.tool("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                              "-d", self.postgres_url, "-c",
                              f"SELECT coalesce(json_agg(row_to_json(t)), '[]') FROM ({bound}) t"],
                             check=True, capture_output=True, text=True).stdout
        return [_Row(row) for row in json.loads(out)]

    def refuse_inserts(self, table, name, when=None):
        """A store fault: the database aborts every insert into `table` (those whose row
        satisfies `when`, a condition on NEW, if given) until accept_inserts(table, name)."""
        if self.postgres_url:
            pg_server.psql(self.postgres_url,
                           f"CREATE FUNCTION {name}_fault() RETURNS trigger LANGUAGE plpgsql AS"
                           " $$ BEGIN RAISE EXCEPTION 'injected'; END $$;"
                           f" CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW"
                           + (f" WHEN ({when})" if when else "") + f" EXECUTE FUNCTION {name}_fault()")
        else:
            self.sql(f"CREATE TRIGGER {name} BEFORE INSERT ON {table}" + (f" WHEN {when}" if when else "")
                     + " BEGIN SELECT RAISE(ABORT, 'injected'); END")

    def accept_inserts(self, table, name):
        """Removes the fault refuse_inserts(table, name) injected."""
        if self.postgres_url:
            pg_server.psql(self.postgres_url, f"DROP TRIGGER {name} ON {table}; DROP FUNCTION {name}_fault()")
        else:
            self.sql(f"DROP TRIGGER {name}")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        code = self.stop()
        log = self.log()
        self.cleanup()
        # Sanitizer reports end a run non-zero; surface them instead of hiding them.
        if "ERROR: AddressSanitizer" in log or "runtime error:" in log:
            raise AssertionError("sanitizer report in server log:\n" + log)
        if exc[0] is None and code not in (0, None):
            raise AssertionError(f"atrium exited with {code}:\n{log}")
        return False


def raw_request(sock, data, read_timeout=5.0):
    """Sends raw bytes and reads one HTTP response (status line, headers, body by
    Content-Length). Returns (status, headers dict lower-cased, body bytes)."""
    sock.sendall(data)
    sock.settimeout(read_timeout)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response header: %r" % buf)
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest[:length]


def wait_closed(sock, timeout):
    """True when the peer closes `sock` (EOF or reset) within `timeout` seconds."""
    sock.settimeout(timeout)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
