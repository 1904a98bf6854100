"""UnaMentis client logs: stored in the database, filtered, cleared."""

import unittest

import requests

from harness import AtriumServer


class ClientLogsTest(unittest.TestCase):
    def test_round_trip_filters_and_clear(self):
        with AtriumServer() as srv:
            url = srv.url("unamentis", "/api/logs")
            entry = {"id": "log-1", "timestamp": "2024-01-15T12:30:00Z", "level": "INFO", "label": "SessionManager",
                     "message": "Session started", "file": "session.ts", "function": "startSession", "line": 123,
                     "metadata": {"session_id": "s-1"}, "client_id": "dev-1", "client_name": "Chrome on macOS"}
            r = requests.post(url, json=entry, timeout=10)
            self.assertEqual((r.status_code, r.json()), (200, {"success": True}))
            batch = [{"message": f"m{i}", "level": "error" if i % 2 else "debug", "label": "Batch",
                      "timestamp": f"2024-01-16T00:00:0{i}Z"} for i in range(4)]
            self.assertEqual(requests.post(url, json=batch, timeout=10).status_code, 200)

            everything = requests.get(url, timeout=10).json()
            self.assertEqual(everything["total"], 5)
            self.assertEqual([e["message"] for e in everything["logs"]], ["m3", "m2", "m1", "m0", "Session started"])
            self.assertEqual(everything["logs"][-1], entry)

            errors = requests.get(url, params={"level": "ERROR"}, timeout=10).json()
            self.assertEqual((errors["total"], [e["message"] for e in errors["logs"]]), (2, ["m3", "m1"]))
            limited = requests.get(url, params={"label": "Batch", "limit": 1}, timeout=10).json()
            self.assertEqual((limited["total"], len(limited["logs"])), (4, 1))
            since = requests.get(url, params={"since": "2024-01-16T00:00:02Z"}, timeout=10).json()
            self.assertEqual([e["message"] for e in since["logs"]], ["m3", "m2"])

            r = requests.get(url, params={"limit": "many"}, timeout=10)
            self.assertEqual(r.status_code, 400)
            self.assertEqual(r.json(), {"error": "bad_request", "message": "limit must be an integer from 0 to 10000",
                                        "code": "BAD_REQUEST", "details": {"parameter": "limit"}})
            r = requests.post(url, json={"message": "x", "level": "LOUD"}, timeout=10)
            self.assertEqual(r.status_code, 400)
            self.assertEqual(r.json()["details"], {"field": "level"})

            r = requests.delete(url, timeout=10)
            self.assertEqual(r.json(), {"success": True, "cleared_count": 5})
            self.assertEqual(requests.get(url, timeout=10).json(), {"logs": [], "total": 0})

    def test_a_batch_is_stored_whole_or_not_at_all_and_a_retry_adds_nothing(self):
        with AtriumServer() as srv:
            url = srv.url("unamentis", "/api/logs")
            batch = [{"id": f"entry-{i}", "message": f"m{i}", "level": "INFO", "label": "Batch"} for i in range(25)]
            # A store fault at the 14th entry (the audit saw 13 of 25 kept behind a 503).
            srv.refuse_inserts("client_logs", "refuse_m13", when="NEW.message = 'm13'")
            r = requests.post(url, json=batch, timeout=10)
            # A trigger abort is a store fault, not a conflict: an internal error, no SQL in the body.
            self.assertEqual(r.status_code, 500, r.text)
            self.assertNotIn("injected", r.text)
            self.assertEqual(requests.get(url, timeout=10).json(), {"logs": [], "total": 0})
            srv.accept_inserts("client_logs", "refuse_m13")
            # The client retries: everything once; and again: nothing new.
            for _ in range(2):
                r = requests.post(url, json=batch, timeout=10)
                self.assertEqual((r.status_code, r.json()), (200, {"success": True}))
                logs = requests.get(url, timeout=10).json()
                self.assertEqual(logs["total"], 25)
                self.assertEqual(sorted(e["id"] for e in logs["logs"]), sorted(e["id"] for e in batch))
            # A malformed entry in the middle refuses the whole batch.
            bad = [{"id": "new-1", "message": "a"}, {"id": "new-2", "message": "b", "level": "LOUD"},
                   {"id": "new-3", "message": "c"}]
            self.assertEqual(requests.post(url, json=bad, timeout=10).status_code, 400)
            self.assertEqual(requests.get(url, timeout=10).json()["total"], 25)
            # Entries without an id are each new.
            for _ in range(2):
                self.assertEqual(requests.post(url, json=[{"message": "no id"}], timeout=10).status_code, 200)
            self.assertEqual(requests.get(url, timeout=10).json()["total"], 27)


if __name__ == "__main__":
    unittest.main()
