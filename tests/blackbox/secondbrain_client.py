"""A secondbrain user for black-box tests: registers through /api/auth/register and
talks to the REST API with its bearer token (and a client address of its own, so
per-address limits belong to one test)."""

import itertools

import requests

PASSWORD = "SecureP@ssw0rd123"

_addresses = (f"10.{100 + i // 250}.{i % 250}.7" for i in itertools.count(1))
_names = itertools.count(1)


class SecondbrainUser:
    def __init__(self, srv, prefix="/api"):
        self.srv = srv
        self.prefix = prefix
        self.address = next(_addresses)
        n = next(_names)
        self.email, self.username = f"sbuser{n}@example.com", f"sbuser_{n}"
        r = self.request("POST", "/auth/register", auth=False,
                         json={"email": self.email, "username": self.username, "password": PASSWORD})
        assert r.status_code == 201, r.text
        body = r.json()
        self.user_id = body["user"]["id"]
        self.token = body["tokens"]["accessToken"]

    def request(self, method, path, auth=True, **kw):
        headers = dict(kw.pop("headers", {}))
        headers["X-Forwarded-For"] = self.address
        if auth:
            headers["Authorization"] = f"Bearer {self.token}"
        return requests.request(method, self.srv.url("secondbrain", self.prefix + path), headers=headers,
                                timeout=30, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def error_of(test, r, status, type_, code=None):
    """Checks a response is the spec's error body with `status` and `type_` (and `code`)."""
    test.assertEqual(r.status_code, status, r.text)
    err = r.json()["error"]
    test.assertEqual(set(err), {"type", "message", "code", "details", "requestId", "timestamp"})
    test.assertEqual(err["type"], type_, r.text)
    if code is not None:
        test.assertEqual(err["code"], code, r.text)
    return err
