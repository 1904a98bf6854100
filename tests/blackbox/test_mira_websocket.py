"""mira WS /ws/{network_id}?token=: the token check before the upgrade and, since the
core has no networks yet, the spec's INVALID_NETWORK_ID for every network."""

import unittest

import requests

from harness import AtriumServer

PASSWORD = "Str0ng!Passw0rd"
UPGRADE = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
NETWORK = "net_abc123def456789012345678901234567890"


class MiraWebSocketTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"security": {"rate_limits": False}}).start()
        # Accounts are shared by every dialect: one made through unichat signs in here too.
        r = requests.post(cls.srv.url("unichat", "/api/auth/register"),
                          json={"email": "mira-ws@example.com", "password": PASSWORD, "display_name": "Mira Ws"},
                          timeout=10)
        assert r.status_code == 201, r.text
        r = requests.post(cls.srv.url("unichat", "/api/auth/login"),
                          json={"email": "mira-ws@example.com", "password": PASSWORD}, timeout=10)
        assert r.status_code == 200, r.text
        cls.token = r.json()["access_token"]

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        cls.srv.cleanup()
        assert code == 0, code

    def upgrade(self, query):
        return requests.get(self.srv.url("mira", f"/ws/{NETWORK}{query}"), headers=UPGRADE, timeout=10)

    def test_missing_token_is_401_in_miras_shape(self):
        r = self.upgrade("")
        self.assertEqual(r.status_code, 401)
        error = r.json()["error"]
        self.assertEqual((error["code"], error["message"]), ("UNAUTHORIZED", "Authentication required"))

    def test_invalid_token_is_401(self):
        r = self.upgrade("?token=not-a-token")
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r.json()["error"]["code"], "UNAUTHORIZED")

    def test_valid_token_unknown_network_is_invalid_network_id(self):
        r = self.upgrade(f"?token={self.token}")
        self.assertEqual(r.status_code, 404)
        error = r.json()["error"]
        self.assertEqual((error["code"], error["message"]), ("INVALID_NETWORK_ID", "Network ID not found or invalid"))
        self.assertEqual(error["details"]["network_id"], NETWORK)

    def test_plain_get_is_426(self):
        r = requests.get(self.srv.url("mira", f"/ws/{NETWORK}"), timeout=10)
        self.assertEqual(r.status_code, 426)


if __name__ == "__main__":
    unittest.main()
