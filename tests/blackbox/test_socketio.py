"""Socket.IO (Engine.IO v4 + Socket.IO v5): the official socket.io-client (node, pinned
in tests/node) and Debian's python3-socketio against unichat's /socket.io/, the
secondbrain socket port and the echo test mode; raw Engine.IO requests (python3-requests,
python3-websockets) for the reference server's error answers and maxPayload."""

import asyncio
import json
import os
import subprocess
import threading
import time
import unittest

import requests
import websockets

from harness import AtriumServer

NODE_SCRIPT = os.path.join(os.path.dirname(__file__), "node", "socketio_client.js")
PASSWORD = "Str0ng!Passw0rd"
ECHO = "/__atrium/echo/socket.io/"
ENGINE_ECHO = "/__atrium/echo/engine.io/"


def node(scenario, **options):
    out = subprocess.run(["node", NODE_SCRIPT, scenario, json.dumps(options)], capture_output=True, text=True,
                         timeout=30)
    if out.returncode != 0:
        raise AssertionError(f"node failed: {out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


class SocketIoTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"testing": {"echo_routes": True}, "security": {"rate_limits": False},
                                       "socketio": {"ping_interval_ms": 2000, "ping_timeout_ms": 1000,
                                                    "max_payload": 10000}}).start()
        cls.token, cls.user_id = cls.sign_in("unichat", "sio@example.com")

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        assert code == 0, f"exit {code}:\n{log[-6000:]}"

    @classmethod
    def sign_in(cls, dialect, email):
        if dialect == "secondbrain":
            r = requests.post(cls.srv.url(dialect, "/api/auth/register"),
                              json={"email": email, "username": email.split("@")[0], "password": PASSWORD},
                              timeout=10)
            assert r.status_code == 201, r.text
            body = r.json()
            return body["tokens"]["accessToken"], body["user"]["id"]
        url = cls.srv.url(dialect, "/api/auth/register")
        r = requests.post(url, json={"email": email, "password": PASSWORD, "display_name": "Sio Tester"}, timeout=10)
        assert r.status_code == 201, r.text
        r = requests.post(cls.srv.url(dialect, "/api/auth/login"), json={"email": email, "password": PASSWORD},
                          timeout=10)
        assert r.status_code == 200, r.text
        body = r.json()
        return body["access_token"], body["user"]["id"]

    def base(self, dialect="unichat"):
        return f"http://127.0.0.1:{self.srv.port(dialect)}"

    def engine(self, dialect="pisovereign", path=ENGINE_ECHO):
        return self.base(dialect) + path

    # --- the official node client -------------------------------------------------

    def test_node_connects_with_a_valid_token_and_hears_authenticated(self):
        r = node("authenticated", url=self.base(), token=self.token)
        self.assertTrue(r.get("connected"), r)
        self.assertEqual(r["authenticated"], {"user_id": self.user_id})
        self.assertEqual(len(r["id"]), 20)

    def test_node_invalid_token_gets_connect_error(self):
        r = node("authenticated", url=self.base(), token="not-a-token")
        self.assertIn("connect_error", r)
        self.assertEqual(r["connect_error"], "Invalid or malformed token")
        r = node("authenticated", url=self.base())
        self.assertEqual(r["connect_error"], "Authentication required")

    def test_node_revoked_token_gets_connect_error(self):
        token, _ = self.sign_in("unichat", "revoked@example.com")
        r = requests.post(self.srv.url("unichat", "/api/auth/logout"), headers={"Authorization": f"Bearer {token}"},
                          json={}, timeout=10)
        self.assertIn(r.status_code, (200, 204), r.text)
        r = node("authenticated", url=self.base(), token=token)
        self.assertIn("connect_error", r, r)

    def test_node_event_with_ack_default_transports(self):
        r = node("ack", url=self.base("pisovereign"), path=ECHO)
        self.assertEqual(r["args"], [1, "2", {"3": [True]}])
        self.assertIsNone(r["err"])

    def test_node_polling_only(self):
        r = node("ack", url=self.base("pisovereign"), path=ECHO, transports=["polling"])
        self.assertEqual((r["args"], r["transport"]), ([1, "2", {"3": [True]}], "polling"))

    def test_node_websocket_only(self):
        r = node("ack", url=self.base("pisovereign"), path=ECHO, transports=["websocket"])
        self.assertEqual((r["args"], r["transport"]), ([1, "2", {"3": [True]}], "websocket"))

    def test_node_upgrades_from_polling_to_websocket(self):
        r = node("ack", url=self.base("pisovereign"), path=ECHO, transports=["polling", "websocket"],
                 waitForUpgrade=True)
        self.assertEqual(r["args"], [1, "2", {"3": [True]}])
        self.assertEqual((r["firstTransport"], r["transport"]), ("polling", "websocket"))
        self.assertTrue(r["upgraded"])

    def test_node_binary_attachments_websocket_and_polling(self):
        for transports in (["websocket"], ["polling"]):
            r = node("binary", url=self.base("pisovereign"), path=ECHO, transports=transports)
            self.assertEqual(r["first"], [1, 2, 3], r)
            self.assertEqual((r["nested"], r["text"], r["isBuffer"]), ([4, 5], "text", True))
            self.assertEqual(r["transport"], transports[0])

    def test_node_reconnects_after_the_transport_drops(self):
        r = node("reconnect", url=self.base("pisovereign"), path=ECHO)
        self.assertEqual(r["connects"], 2, r)
        self.assertEqual(r["distinctIds"], 2)
        self.assertEqual(r["answer"], "pong")

    def test_node_rooms_relay_event_bus_topics(self):
        r = node("relay", url=self.base("pisovereign"), path=ECHO, room="lobby")
        self.assertEqual(r, {"payload": {"n": 7}})

    def test_node_secondbrain_socket_port(self):
        token, user_id = self.sign_in("secondbrain", "sbsio@example.com")
        r = node("ack", url=self.base("secondbrain_socket"), path=ECHO)
        self.assertEqual(r["args"], [1, "2", {"3": [True]}])
        r = node("authenticated", url=self.base("secondbrain_socket"), token="bad")
        self.assertEqual(r["data"], {"code": "AUTH_ERROR"})
        code = subprocess.run(["node", "-e", f"""
const {{ io }} = require({json.dumps(os.path.join(os.path.dirname(NODE_SCRIPT), '..', '..', 'node', 'node_modules', 'socket.io-client'))});
const s = io("{self.base('secondbrain_socket')}", {{ auth: {{ token: "{token}" }}, reconnection: false }});
s.on("connect", () => {{ console.log("connected"); process.exit(0); }});
s.on("connect_error", (e) => {{ console.log("error " + e.message); process.exit(1); }});
setTimeout(() => process.exit(2), 5000);
"""], capture_output=True, text=True, timeout=20)
        self.assertEqual((code.returncode, code.stdout.strip()), (0, "connected"), code.stderr)

    # --- Debian's python3-socketio client -----------------------------------------

    def python_client(self, transports, url, path="/socket.io/", auth=None):
        import socketio  # python3-socketio (Debian), only under /usr/bin/python3
        sio = socketio.Client(reconnection=False)
        events = {}
        done = threading.Event()

        @sio.on("authenticated")
        def on_authenticated(data):
            events["authenticated"] = data
            done.set()

        @sio.on("message-back")
        def on_back(*args):
            events["message-back"] = args
            done.set()

        sio.connect(url, socketio_path=path, transports=transports, auth=auth, wait_timeout=5)
        return sio, events, done

    def test_python_client_connects_with_token_on_both_transports(self):
        for transports in (["polling"], ["websocket"]):
            sio, events, done = self.python_client(transports, self.base(), auth={"token": self.token})
            try:
                self.assertTrue(done.wait(5), transports)
                self.assertEqual(events["authenticated"], {"user_id": self.user_id})
                self.assertEqual(sio.transport(), transports[0])
            finally:
                sio.disconnect()

    def test_python_client_rejected_with_an_invalid_token(self):
        import socketio
        for transports in (["polling"], ["websocket"]):
            sio = socketio.Client(reconnection=False)
            errors = []
            sio.on("connect_error", lambda data: errors.append(data))
            with self.assertRaises(socketio.exceptions.ConnectionError):
                sio.connect(self.base(), transports=transports, auth={"token": "bad"}, wait_timeout=5)
            self.assertEqual(errors, [{"message": "Invalid or malformed token"}], transports)
            sio.disconnect()

    def test_python_client_ack_and_binary(self):
        sio, events, done = self.python_client(["websocket"], self.base("pisovereign"), path=ECHO)
        try:
            answer = sio.call("message-with-ack", {"a": 1}, timeout=5)
            self.assertEqual(answer, {"a": 1})
            sio.emit("message", b"\x00\x01\x02")
            self.assertTrue(done.wait(5))
            self.assertEqual(events["message-back"], (b"\x00\x01\x02",))
        finally:
            sio.disconnect()

    # --- raw Engine.IO -----------------------------------------------------------

    def test_raw_handshake_errors_have_the_reference_bodies(self):
        url = self.engine()
        cases = [
            ({"transport": "polling"}, "GET", {"code": 5, "message": "Unsupported protocol version"}),
            ({"EIO": "abc", "transport": "polling"}, "GET", {"code": 5, "message": "Unsupported protocol version"}),
            ({"EIO": "4"}, "GET", {"code": 0, "message": "Transport unknown"}),
            ({"EIO": "4", "transport": "abc"}, "GET", {"code": 0, "message": "Transport unknown"}),
            ({"EIO": "4", "transport": "polling"}, "POST", {"code": 2, "message": "Bad handshake method"}),
            ({"EIO": "4", "transport": "polling"}, "PUT", {"code": 2, "message": "Bad handshake method"}),
            ({"EIO": "4", "transport": "polling", "sid": "nope"}, "GET", {"code": 1, "message": "Session ID unknown"}),
            ({"EIO": "4", "transport": "websocket"}, "GET", {"code": 3, "message": "Bad request"}),
        ]
        for params, method, body in cases:
            r = requests.request(method, url, params=params, timeout=5)
            self.assertEqual((r.status_code, r.json()), (400, body), (params, method))
            self.assertEqual(r.headers["Content-Type"], "application/json")

    def test_raw_open_packet_and_echo_over_polling(self):
        r = requests.get(self.engine(), params={"EIO": "4", "transport": "polling"}, timeout=5)
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.text.startswith("0"))
        opened = json.loads(r.text[1:])
        self.assertEqual(opened["upgrades"], ["websocket"])
        self.assertEqual((opened["pingInterval"], opened["pingTimeout"], opened["maxPayload"]), (2000, 1000, 10000))
        params = {"EIO": "4", "transport": "polling", "sid": opened["sid"]}
        r = requests.post(self.engine(), params=params, data="4hello\x1ebAQIDBA==", timeout=5)
        self.assertEqual((r.status_code, r.text), (200, "ok"))
        r = requests.get(self.engine(), params=params, timeout=5)
        self.assertEqual(r.text, "4hello\x1ebAQIDBA==")

    def test_raw_second_concurrent_poll_ends_the_session(self):
        sid = json.loads(requests.get(self.engine(), params={"EIO": "4", "transport": "polling"}, timeout=5).text[1:])["sid"]
        params = {"EIO": "4", "transport": "polling", "sid": sid}
        first = {}
        t = threading.Thread(target=lambda: first.update(r=requests.get(self.engine(), params=params, timeout=5)))
        t.start()
        time.sleep(0.2)
        second = requests.get(self.engine(), params=params, timeout=5)
        t.join()
        self.assertEqual((first["r"].status_code, first["r"].text), (200, "1"))
        self.assertEqual((second.status_code, second.json()), (400, {"code": 3, "message": "Bad request"}))
        r = requests.get(self.engine(), params=params, timeout=5)
        self.assertEqual(r.json(), {"code": 1, "message": "Session ID unknown"})

    def test_raw_close_packet_then_a_racing_poll_gets_a_noop_once(self):
        # A client posts its close packet and polls at once, on two connections: the poll
        # that arrives after the close is answered as a pending one would have been.
        def open_session():
            text = requests.get(self.engine(), params={"EIO": "4", "transport": "polling"}, timeout=5).text
            return {"EIO": "4", "transport": "polling", "sid": json.loads(text[1:])["sid"]}
        params = open_session()
        r = requests.post(self.engine(), params=params, data="1", timeout=5)
        self.assertEqual((r.status_code, r.text), (200, "ok"))
        r = requests.post(self.engine(), params=params, data="4late", timeout=5)
        self.assertEqual((r.status_code, r.json()), (400, {"code": 1, "message": "Session ID unknown"}))
        r = requests.get(self.engine(), params=params, timeout=5)
        self.assertEqual((r.status_code, r.text), (200, "6"))
        r = requests.get(self.engine(), params=params, timeout=5)
        self.assertEqual((r.status_code, r.json()), (400, {"code": 1, "message": "Session ID unknown"}))
        # With no poll after it, the sid is gone once the grace (1 s) has passed.
        params = open_session()
        requests.post(self.engine(), params=params, data="1", timeout=5)
        time.sleep(1.3)
        r = requests.get(self.engine(), params=params, timeout=5)
        self.assertEqual((r.status_code, r.json()), (400, {"code": 1, "message": "Session ID unknown"}))

    def test_raw_max_payload_on_polling_ends_the_session(self):
        sid = json.loads(requests.get(self.engine(), params={"EIO": "4", "transport": "polling"}, timeout=5).text[1:])["sid"]
        params = {"EIO": "4", "transport": "polling", "sid": sid}
        r = requests.post(self.engine(), params=params, data="4" + "x" * 10000, timeout=5)
        self.assertEqual(r.status_code, 413)
        r = requests.get(self.engine(), params=params, timeout=5)
        self.assertEqual(r.json(), {"code": 1, "message": "Session ID unknown"})

    def test_raw_max_payload_on_websocket_closes_1009(self):
        async def go():
            url = self.engine().replace("http", "ws") + "?EIO=4&transport=websocket"
            async with websockets.connect(url, max_size=None) as ws:
                opened = json.loads((await ws.recv())[1:])
                self.assertEqual(opened["upgrades"], [])
                await ws.send("4" + "y" * 9000)
                self.assertEqual(await ws.recv(), "4" + "y" * 9000)
                await ws.send("4" + "y" * 10001)
                with self.assertRaises(websockets.ConnectionClosed) as ctx:
                    await ws.recv()
                return ctx.exception.rcvd.code
        self.assertEqual(asyncio.run(asyncio.wait_for(go(), 10)), 1009)

    def test_raw_upgrade_probe_noop_and_switch(self):
        sid = json.loads(requests.get(self.engine(), params={"EIO": "4", "transport": "polling"}, timeout=5).text[1:])["sid"]
        params = {"EIO": "4", "transport": "polling", "sid": sid}

        async def go():
            url = self.engine().replace("http", "ws") + f"?EIO=4&transport=websocket&sid={sid}"
            async with websockets.connect(url) as ws:
                await ws.send("2probe")
                self.assertEqual(await ws.recv(), "3probe")
                poll = await asyncio.to_thread(requests.get, self.engine(), params=params, timeout=5)
                self.assertEqual(poll.text, "6")
                await ws.send("5")
                await ws.send("4after")
                self.assertEqual(await ws.recv(), "4after")
                stale = await asyncio.to_thread(requests.get, self.engine(), params=params, timeout=5)
                self.assertEqual((stale.status_code, stale.json()), (400, {"code": 3, "message": "Bad request"}))
        asyncio.run(asyncio.wait_for(go(), 10))

    def test_raw_heartbeat_ping_and_timeout(self):
        sid = json.loads(requests.get(self.engine(), params={"EIO": "4", "transport": "polling"}, timeout=5).text[1:])["sid"]
        params = {"EIO": "4", "transport": "polling", "sid": sid}
        started = time.monotonic()
        r = requests.get(self.engine(), params=params, timeout=5)
        self.assertEqual(r.text, "2")
        self.assertGreater(time.monotonic() - started, 1.5)
        self.assertEqual(requests.post(self.engine(), params=params, data="3", timeout=5).text, "ok")
        # No pong this time: the session ends after pingInterval + pingTimeout.
        time.sleep(3.3)
        r = requests.get(self.engine(), params=params, timeout=5)
        self.assertEqual(r.status_code, 400)

    def test_echo_mode_is_off_by_default(self):
        srv = AtriumServer().start()
        try:
            r = requests.get(srv.url("pisovereign", ENGINE_ECHO), params={"EIO": "4", "transport": "polling"},
                             timeout=5)
            self.assertEqual(r.status_code, 404)
            r = requests.get(srv.url("unichat", "/socket.io/"), params={"EIO": "4", "transport": "polling"},
                             timeout=5)
            self.assertEqual(r.status_code, 200)
        finally:
            srv.stop()
            srv.cleanup()


if __name__ == "__main__":
    unittest.main()
