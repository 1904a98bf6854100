"""Real-time transports: Server-Sent Events and WebSockets (python3-websockets), on
unamentis' WS /ws and the echo test mode (testing.echo_routes)."""

import asyncio
import json
import signal
import socket
import time
import unittest

import requests
import websockets

from harness import AtriumServer


def sse_events(response):
    """Parses an SSE stream into (event, data) pairs and comment lines."""
    event, data, out = None, [], []
    for raw in response.iter_lines(decode_unicode=True):
        if raw is None:
            continue
        if raw == "":
            if data or event:
                out.append((event or "message", "\n".join(data)))
            event, data = None, []
        elif raw.startswith(":"):
            out.append(("comment", raw[1:].strip()))
        elif raw.startswith("event:"):
            event = raw[6:].strip()
        elif raw.startswith("data:"):
            data.append(raw[5:].strip())
    return out


class RealtimeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"testing": {"echo_routes": True},
                                       "cors": {"allowed_origins": ["http://localhost:3000"]}}).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        cls.srv.cleanup()
        assert code == 0, code

    def ws_url(self, dialect, path):
        return f"ws://127.0.0.1:{self.srv.port(dialect)}{path}"

    def run_async(self, coro):
        return asyncio.run(asyncio.wait_for(coro, 30))

    def test_sse_streams_every_event_then_done(self):
        r = requests.get(self.srv.url("pisovereign", "/__atrium/echo/sse"), params={"count": 5, "interval_ms": 5},
                         stream=True, timeout=10)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.headers["Content-Type"], "text/event-stream")
        self.assertEqual(r.headers["Transfer-Encoding"], "chunked")
        self.assertEqual(r.headers["Cache-Control"], "no-cache")
        events = sse_events(r)
        self.assertEqual(events, [("message", json.dumps({"n": i}, separators=(",", ":"))) for i in range(5)] +
                         [("done", '{"count":5}')])

    def test_sse_heartbeats_while_idle(self):
        r = requests.get(self.srv.url("unichat", "/__atrium/echo/sse"),
                         params={"count": 2, "interval_ms": 600, "heartbeat_ms": 100}, stream=True, timeout=10)
        events = sse_events(r)
        self.assertIn(("comment", "keep-alive"), events)
        self.assertEqual([e for e in events if e[0] != "comment"],
                         [("message", '{"n":0}'), ("message", '{"n":1}'), ("done", '{"count":2}')])

    def test_sse_clients_that_leave_do_not_hurt_the_server(self):
        for _ in range(20):
            with socket.create_connection(("127.0.0.1", self.srv.port("mira"))) as s:
                s.sendall(b"GET /__atrium/echo/sse?count=100000&interval_ms=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertIn(b"200 OK", s.recv(4096))
        r = requests.get(self.srv.url("mira", "/api/v1/health"), timeout=10)
        self.assertEqual(r.status_code, 200)

    def test_unamentis_ws_connected_ping_pong(self):
        async def scenario():
            # A socket an earlier test closed may still be counted for a moment after its close: wait until
            # this connection is the only one online, so the count below is exact.
            deadline = time.time() + 10
            while True:
                probe = await websockets.connect(self.ws_url("unamentis", "/ws"))
                hello = json.loads(await probe.recv())
                if hello["data"]["stats"]["online_clients"] == 1 or time.time() > deadline:
                    break
                await probe.close()
                await asyncio.sleep(0.05)
            a = probe
            try:
                self.assertEqual(hello["type"], "connected")
                self.assertRegex(hello["data"]["server_time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
                self.assertIsInstance(hello["data"]["stats"]["total_logs"], int)
                first_online = hello["data"]["stats"]["online_clients"]
                self.assertEqual(first_online, 1)
                async with websockets.connect(self.ws_url("unamentis", "/ws")) as b:
                    second = json.loads(await b.recv())
                    self.assertEqual(second["data"]["stats"]["online_clients"], first_online + 1)
                before = time.time()
                await a.send(json.dumps({"type": "ping"}))
                pong = json.loads(await a.recv())
                self.assertEqual(set(pong), {"type", "timestamp"})
                self.assertEqual(pong["type"], "pong")
                self.assertAlmostEqual(pong["timestamp"], before, delta=5)
                await a.send("not json")
                self.assertEqual(json.loads(await a.recv()),
                                 {"type": "error", "data": {"error": "invalid_message",
                                                            "message": "Messages must be JSON objects with a string \"type\""}})
                await a.send(json.dumps({"type": "subscribe_everything"}))
                self.assertEqual(json.loads(await a.recv())["data"]["error"], "unknown_type")
            finally:
                await a.close()
        self.run_async(scenario())

    def test_unamentis_ws_broadcasts_log_received(self):
        async def scenario():
            async with websockets.connect(self.ws_url("unamentis", "/ws")) as ws:
                self.assertEqual(json.loads(await ws.recv())["type"], "connected")
                entry = {"id": "live-1", "timestamp": "2024-01-15T12:30:00Z", "level": "warning",
                         "label": "Live", "message": "seen on the console", "client_id": "dev-9",
                         "client_name": "Console test"}
                loop = asyncio.get_running_loop()
                r = await loop.run_in_executor(None, lambda: requests.post(
                    self.srv.url("unamentis", "/api/logs"), json=entry, timeout=10))
                self.assertEqual(r.status_code, 200)
                message = json.loads(await ws.recv())
                self.assertEqual(message, {"type": "log_received",
                                           "data": dict(entry, level="WARNING")})
        self.run_async(scenario())

    def test_plain_get_on_a_websocket_route_is_426(self):
        r = requests.get(self.srv.url("unamentis", "/ws"), timeout=10)
        self.assertEqual(r.status_code, 426)
        self.assertEqual(r.headers["Upgrade"], "websocket")
        self.assertEqual(r.json()["code"], "BAD_REQUEST")

    def test_origin_allowlist_guards_the_upgrade(self):
        async def scenario():
            async with websockets.connect(self.ws_url("unamentis", "/ws"), origin="http://localhost:3000") as ws:
                self.assertEqual(json.loads(await ws.recv())["type"], "connected")
            with self.assertRaises(websockets.InvalidStatusCode) as refused:
                async with websockets.connect(self.ws_url("unamentis", "/ws"), origin="http://evil.example"):
                    pass
            self.assertEqual(refused.exception.status_code, 403)
        self.run_async(scenario())

    def test_echo_text_binary_and_close(self):
        async def scenario():
            async with websockets.connect(self.ws_url("secondbrain", "/__atrium/echo/ws")) as ws:
                await ws.send("hello")
                self.assertEqual(await ws.recv(), "hello")
                await ws.send(b"\x00\x01\x02")
                self.assertEqual(await ws.recv(), b"\x00\x01\x02")
                await ws.send("close")
                with self.assertRaises(websockets.ConnectionClosed) as closed:
                    await ws.recv()
                self.assertEqual(closed.exception.code, 1000)
        self.run_async(scenario())

    def test_oversize_message_closes_with_1009(self):
        async def scenario():
            async with websockets.connect(self.ws_url("unichat", "/__atrium/echo/ws"), max_size=None) as ws:
                await ws.send("x" * (64 * 1024 + 1))
                with self.assertRaises(websockets.ConnectionClosed) as closed:
                    await ws.recv()
                self.assertEqual(closed.exception.code, 1009)
        self.run_async(scenario())

    def test_a_client_that_stops_reading_is_cut_off_while_others_are_served(self):
        async def scenario():
            # max_queue=1 and small read limits: the client stops reading almost at once.
            slow = await websockets.connect(self.ws_url("unichat", "/__atrium/echo/ws"), max_queue=1,
                                            read_limit=2 ** 12, write_limit=2 ** 22)
            fast = await websockets.connect(self.ws_url("unichat", "/__atrium/echo/ws"))
            chunk = "y" * 60000
            cut = False
            for _ in range(2000):
                try:
                    await asyncio.wait_for(slow.send(chunk), 5)
                except (websockets.ConnectionClosed, asyncio.TimeoutError):
                    cut = True
                    break
                if slow.transport is None or slow.transport.is_closing():
                    cut = True
                    break
            # Meanwhile the other client is served normally.
            await fast.send("still here")
            self.assertEqual(await fast.recv(), "still here")
            await fast.close()
            if not cut:
                # Drain what is buffered: the server must have closed the connection.
                try:
                    while True:
                        await asyncio.wait_for(slow.recv(), 5)
                except websockets.ConnectionClosed:
                    cut = True
            self.assertTrue(cut, "a client that never reads was kept open")
            await slow.close()
        self.run_async(scenario())


class RealtimeShutdownTest(unittest.TestCase):
    def test_open_streams_and_sockets_do_not_hold_up_shutdown(self):
        srv = AtriumServer(config={"testing": {"echo_routes": True}, "server": {"shutdown_grace_ms": 20000}}).start()
        try:
            stream = requests.get(srv.url("unichat", "/__atrium/echo/sse"),
                                  params={"count": 1000000, "interval_ms": 50}, stream=True, timeout=10)
            self.assertEqual(stream.status_code, 200)

            async def hold():
                ws = await websockets.connect(f"ws://127.0.0.1:{srv.port('unamentis')}/ws")
                await ws.recv()
                started = time.monotonic()
                srv.signal(signal.SIGTERM)
                code = await asyncio.get_running_loop().run_in_executor(None, srv.wait, 15)
                return code, time.monotonic() - started

            code, took = asyncio.run(hold())
            self.assertEqual(code, 0)
            self.assertLess(took, 10)  # not the 20 s grace period
        finally:
            srv.stop()
            srv.cleanup()


if __name__ == "__main__":
    unittest.main()
