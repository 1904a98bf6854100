"""Local stand-ins for pisovereign's data sources, for black-box tests.

- OpenMeteoFixture: an Open-Meteo-compatible geocoding + forecast API (HTTP, python).
- CloudApiFixture: the WhatsApp Cloud API's send-message endpoint, recording requests.
- Dovecot: a real IMAP server (Debian's dovecot-imapd) started on a free port with a
  temporary config and a maildir with known messages.
"""

import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    def __init__(self, handler):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.fixture = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        return False


PLACES = {
    "berlin": {"name": "Berlin", "latitude": 52.52437, "longitude": 13.41053, "country": "Germany"},
    "paris": {"name": "Paris", "latitude": 48.85341, "longitude": 2.3488, "country": "France"},
}


class _OpenMeteoHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query)
        self.server.fixture.requests.append((url.path, q))
        if url.path == "/v1/search":
            place = PLACES.get(q.get("name", [""])[0].lower())
            return self._json(200, {"results": [place]} if place else {"generationtime_ms": 0.1})
        if url.path == "/v1/forecast":
            if "daily" in q:
                day = q["start_date"][0]
                return self._json(200, {"daily": {"time": [day], "weather_code": [61], "temperature_2m_max": [11.6],
                                                  "temperature_2m_min": [4.2], "wind_speed_10m_max": [21.0]}})
            return self._json(200, {"current": {"time": "2026-02-07T10:30", "temperature_2m": 15.2,
                                                "weather_code": 2, "wind_speed_10m": 11.5}})
        self._json(404, {"error": True, "reason": "not found"})


class OpenMeteoFixture(_Server):
    def __init__(self):
        super().__init__(_OpenMeteoHandler)
        self.requests = []

    def config(self, default_location="Berlin"):
        return {"forecast_url": self.base + "/v1/forecast", "geocoding_url": self.base + "/v1/search",
                "default_location": default_location}


class _CloudHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        # The phone number node, which readiness probes read.
        fixture = self.server.fixture
        with fixture.lock:
            fixture.probes.append({"path": self.path, "authorization": self.headers.get("Authorization")})
        data = json.dumps({"verified_name": "Atrium Test", "display_phone_number": "15550783881",
                           "id": self.path.rstrip("/").rsplit("/", 1)[-1]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        fixture = self.server.fixture
        with fixture.lock:
            fixture.messages.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                                     "content_type": self.headers.get("Content-Type"), "body": json.loads(body)})
        data = json.dumps({"messaging_product": "whatsapp", "contacts": [{"wa_id": "1"}],
                           "messages": [{"id": "wamid.out%d" % len(fixture.messages)}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class CloudApiFixture(_Server):
    def __init__(self):
        super().__init__(_CloudHandler)
        self.messages = []
        self.probes = []
        self.lock = threading.Lock()

    def wait_for(self, n, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= n:
                    return list(self.messages)
            time.sleep(0.02)
        with self.lock:
            return list(self.messages)


MESSAGES = [
    # (file flags, from, subject, date)
    ("S", "Bob <bob@example.com>", "Invoice March", "Sat, 7 Feb 2026 01:00:00 +0000"),
    ("", "Carol <carol@example.com>", "Lunch?", "Sat, 7 Feb 2026 02:00:00 +0000"),
    ("F", "Ops <ops@example.com>", "URGENT: server down", "Sat, 7 Feb 2026 03:00:00 +0000"),
]


class Dovecot:
    """dovecot -F with a temporary config; needs root and /usr/sbin/dovecot."""

    USER, PASSWORD = "anna", "secret-pass"

    @staticmethod
    def available():
        return os.geteuid() == 0 and os.path.exists("/usr/sbin/dovecot")

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="atrium-dovecot-")
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        maildir = os.path.join(self.dir, "home", self.USER, "Maildir")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(maildir, sub))
        for i, (flags, sender, subject, date) in enumerate(MESSAGES, 1):
            text = (f"From: {sender}\r\nTo: anna@example.com\r\nSubject: {subject}\r\nDate: {date}\r\n"
                    f"Message-ID: <m{i}@example.com>\r\n\r\nBody {i}\r\n")
            name = f"{1000 + i}.M{i}P1.atrium"
            path = os.path.join(maildir, "cur", f"{name}:2,{flags}") if flags else os.path.join(maildir, "new", name)
            with open(path, "w") as f:
                f.write(text)
        with open(os.path.join(self.dir, "passwd"), "w") as f:
            f.write(f"{self.USER}:{{PLAIN}}{self.PASSWORD}\n")
        for sub in ("run", "state"):
            os.makedirs(os.path.join(self.dir, sub))
        subprocess.run(["chown", "-R", "nobody:nogroup", os.path.join(self.dir, "home")], check=True)
        conf = os.path.join(self.dir, "dovecot.conf")
        with open(conf, "w") as f:
            f.write(f"""
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.dir}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={self.dir}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
service lmtp {{
  unix_listener lmtp {{
    mode = 0600
  }}
}}
""")
        self.proc = subprocess.Popen(["/usr/sbin/dovecot", "-F", "-c", conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(100).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.__exit__(None, None, None)
        raise RuntimeError("dovecot did not start: " + self.log())

    def log(self):
        try:
            with open(os.path.join(self.dir, "dovecot.log")) as f:
                return f.read()
        except OSError:
            return ""

    def config(self):
        return {"imap_url": f"imap://127.0.0.1:{self.port}/INBOX", "username": self.USER,
                "password": self.PASSWORD, "timeout_ms": 5000}

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
        return False
