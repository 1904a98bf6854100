"""A signed-in unichat user for black-box tests: registers, signs in and calls the REST
API with its bearer token."""

import os
import subprocess

import requests

from harness import atrium_binary

PASSWORD = "Passw0rdOK"


class UnichatUser:
    def __init__(self, srv, email, display_name=None):
        self.srv = srv
        self.email = email
        r = requests.post(srv.url("unichat", "/api/auth/register"),
                          json={"email": email, "password": PASSWORD,
                                "display_name": display_name or email.split("@")[0]}, timeout=10)
        assert r.status_code == 201, r.text
        r = requests.post(srv.url("unichat", "/api/auth/login"), json={"email": email, "password": PASSWORD},
                          timeout=10)
        assert r.status_code == 200, r.text
        body = r.json()
        self.token = body["access_token"]
        self.id = body["user"]["id"]

    def call(self, method, path, headers=None, **kw):
        headers = dict(headers or {})
        headers["Authorization"] = f"Bearer {self.token}"
        return requests.request(method, self.srv.url("unichat", path), headers=headers, timeout=30, **kw)


def anonymous(srv, method, path, **kw):
    return requests.request(method, srv.url("unichat", path), timeout=30, **kw)


def promote(srv, email):
    """Makes an account an admin with the CLI, as an operator would."""
    r = subprocess.run([atrium_binary(), "user", "promote", "--email", email, "--config",
                        os.path.join(srv.workdir, "atrium.toml")], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr


class UnichatUsersMixin:
    """For test classes with a running server `srv` and signed-in users `users` (a dict
    name -> UnichatUser): `call` as one of them, or anonymously with who=None. The server
    must exit cleanly at the end."""

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        assert code == 0, f"atrium exited with {code}:\n{log[-20000:]}"

    def call(self, method, path, who="ann", **kw):
        if who is None:
            return anonymous(self.srv, method, path, **kw)
        return self.users[who].call(method, path, **kw)
