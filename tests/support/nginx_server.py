"""nginx for the tests, started as a child process in a temporary directory (never the
system service), in front of Atrium instances. It serves deploy/nginx/atrium.conf
itself: the shipped file is rendered with its listen ports and instance addresses
replaced by the test's, so what is tested is what is shipped. Stdlib only."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHIPPED = os.path.join(HERE, "..", "..", "deploy", "nginx", "atrium.conf")

# The shipped file's default ports, by the name Atrium's ready file gives each listener.
DEFAULT_PORTS = {"unichat": 5000, "pisovereign": 3000, "secondbrain": 8000, "secondbrain_socket": 8001,
                 "unamentis": 8766, "mira": 8400, "openai": 8080}
# The shipped file's example instance addresses, in order.
EXAMPLE_HOSTS = ("10.0.0.11", "10.0.0.12")


def nginx_binary():
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render(instances, front_ports):
    """The shipped config with `instances` (each a dict listener -> port, in the order of
    EXAMPLE_HOSTS) as its upstream servers and `front_ports` (listener -> port) as its
    listen ports, on 127.0.0.1."""
    with open(SHIPPED) as f:
        text = f.read()
    by_port = {port: name for name, port in DEFAULT_PORTS.items()}
    for host, ports in zip(EXAMPLE_HOSTS, instances):
        text = re.sub(re.escape(host) + r":(\d+)",
                      lambda m, ports=ports: f"127.0.0.1:{ports[by_port[int(m.group(1))]]}", text)
    if len(instances) < len(EXAMPLE_HOSTS):  # fewer instances: their lines go
        for host in EXAMPLE_HOSTS[len(instances):]:
            text = re.sub(r"\n\s*server " + re.escape(host) + r":\d+[^;]*;", "", text)
    text = re.sub(r"listen (\d+);", lambda m: f"listen 127.0.0.1:{front_ports[by_port[int(m.group(1))]]};", text)
    return text


class NginxServer:
    def __init__(self, workdir, instances):
        self.workdir = workdir
        self.instances = instances
        self.ports = {name: _free_port() for name in DEFAULT_PORTS}
        self.proc = None

    def url(self, listener, path=""):
        return f"http://127.0.0.1:{self.ports[listener]}{path}"

    def start(self, timeout=10.0):
        os.makedirs(self.workdir, exist_ok=True)
        site = os.path.join(self.workdir, "atrium.conf")
        with open(site, "w") as f:
            f.write(render(self.instances, self.ports))
        temp = {k: os.path.join(self.workdir, k) for k in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        for d in temp.values():
            os.makedirs(d, exist_ok=True)
        main = os.path.join(self.workdir, "nginx.conf")
        user = "user root;\n" if os.geteuid() == 0 else ""
        with open(main, "w") as f:
            f.write(f"""{user}worker_processes 1;
daemon off;
pid {self.workdir}/nginx.pid;
error_log {self.workdir}/error.log info;
events {{ worker_connections 1024; }}
http {{
    log_format atrium '$remote_addr "$request" $status upstream=$upstream_addr';
    access_log {self.workdir}/access.log atrium;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {site};
}}
""")
        self.log = open(os.path.join(self.workdir, "nginx.out"), "w")
        self.proc = subprocess.Popen([nginx_binary(), "-p", self.workdir, "-c", main],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.proc.returncode}: {self.errors()}")
            try:
                with socket.create_connection(("127.0.0.1", self.ports["unichat"]), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("nginx did not start: " + self.errors())

    def _read(self, name):
        path = os.path.join(self.workdir, name)
        if not os.path.exists(path):
            return ""
        with open(path) as f:
            return f.read()

    def errors(self):
        return self._read("error.log")

    def access_log(self):
        return self._read("access.log")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finish open requests
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()
