"""PiSovereign commands: /v1/commands/parse (the grammar over the wire, in the user's
time zone) and /v1/commands against real local sources: an Open-Meteo-compatible
HTTP fixture, Atrium's own calendar store and a real Dovecot IMAP server."""

import datetime
import os
import re
import subprocess
import unittest
import uuid
import zoneinfo

import requests

from harness import AtriumServer
from piso_fixtures import Dovecot, OpenMeteoFixture

KEY = "sk-commands-test-key-0001"
USER = "550e8400-e29b-41d4-a716-446655440000"
BERLIN_KEY = "sk-commands-test-key-berlin"
BERLIN_USER = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
SPEC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "spec", "pisovereign-api.md")


class CommandsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.weather = OpenMeteoFixture().__enter__()
        # Dovecot needs root; without it the IMAP-backed tests skip and the rest still run.
        cls.dovecot = Dovecot().__enter__() if Dovecot.available() else None
        config = {
            "security.api_key_users": {KEY: USER, BERLIN_KEY: BERLIN_USER},
            "dialects.pisovereign": {"rate_limit_rpm": 10000},
            "weather": cls.weather.config(),
        }
        if cls.dovecot:
            config["email"] = cls.dovecot.config()
        cls.srv = AtriumServer(config=config).start()
        cls.srv.sql("UPDATE users SET timezone = 'Europe/Berlin' WHERE id = ?", (BERLIN_USER,))

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        if cls.dovecot:
            cls.dovecot.__exit__(None, None, None)
        cls.weather.__exit__(None, None, None)
        assert "runtime error:" not in log and "AddressSanitizer" not in log, log
        assert code == 0, code

    def need_imap(self):
        if not self.dovecot:
            self.skipTest("needs root and dovecot-imapd (scripts/install-deps --test)")

    def post(self, path, body, key=KEY):
        return requests.post(self.srv.url("pisovereign", path), json=body,
                             headers={"Authorization": f"Bearer {key}"}, timeout=30)

    def check_error(self, r, status, code, message, details=None):
        self.assertEqual(r.status_code, status, r.text)
        self.assertEqual(r.json(), {"error": {"code": code, "message": message, "details": details or {},
                                              "request_id": r.headers["X-Request-Id"]}})

    def fields(self, field, error):
        return {"fields": [{"field": field, "error": error}]}

    # --- parse ---------------------------------------------------------------

    def test_parse_spec_example_in_the_users_zone(self):
        tomorrow = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)
        r = self.post("/v1/commands/parse", {"input": "create meeting tomorrow at 3pm"})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json(), {"parsed": True,
                                    "command": {"type": "CreateCalendarEvent", "title": "meeting",
                                                "start": f"{tomorrow}T15:00:00Z", "end": f"{tomorrow}T16:00:00Z",
                                                "all_day": False},
                                    "confidence": 0.92, "requires_approval": True, "timezone": "UTC"})

    def test_parse_uses_the_profile_zone_and_the_request_zone(self):
        berlin = zoneinfo.ZoneInfo("Europe/Berlin")
        tomorrow = datetime.datetime.now(berlin).date() + datetime.timedelta(days=1)
        start = datetime.datetime.combine(tomorrow, datetime.time(9, 0), berlin)
        r = self.post("/v1/commands/parse", {"input": "remind me to call Anna tomorrow at 9am"}, key=BERLIN_KEY)
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(body["timezone"], "Europe/Berlin")
        self.assertEqual(body["command"], {"type": "CreateReminder", "text": "call Anna", "due": start.isoformat()})
        r = self.post("/v1/commands/parse", {"input": "what's the weather in Paris", "timezone": "Asia/Kolkata"},
                      key=BERLIN_KEY)
        self.assertEqual(r.json(), {"parsed": True, "command": {"type": "GetWeather", "location": "Paris",
                                                                "date": None},
                                    "confidence": 0.95, "requires_approval": False, "timezone": "Asia/Kolkata"})

    def test_parse_failure_has_a_reason(self):
        r = self.post("/v1/commands/parse", {"input": "tell me a joke"})
        self.assertEqual(r.json(), {"parsed": False, "command": None, "confidence": 0.0, "requires_approval": False,
                                    "reason": "no known command in the input", "timezone": "UTC"})
        r = self.post("/v1/commands/parse", {"input": "schedule review on February 30 at 10"})
        self.assertEqual(r.json()["reason"], "no such date: February 30")

    def test_parse_validation(self):
        cases = [({}, "input", "is required"), ({"input": 5}, "input", "must be a string"),
                 ({"input": "   "}, "input", "cannot be empty"), ({"input": "x" * 1001}, "input",
                                                                    "must be at most 1000 characters"),
                 ({"input": "briefing", "timezone": "Mars/Olympus"}, "timezone", "unknown time zone"),
                 ({"input": "briefing", "timezone": "../../etc/passwd"}, "timezone", "unknown time zone")]
        for body, field, error in cases:
            self.check_error(self.post("/v1/commands/parse", body), 422, "VALIDATION_ERROR",
                             "Request validation failed", self.fields(field, error))
        r = requests.post(self.srv.url("pisovereign", "/v1/commands/parse"), data="{",
                          headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}, timeout=10)
        self.check_error(r, 400, "BAD_REQUEST", "Malformed JSON in request body")
        r = requests.post(self.srv.url("pisovereign", "/v1/commands/parse"), json={"input": "briefing"}, timeout=10)
        self.check_error(r, 401, "UNAUTHORIZED", "Invalid or missing API key")

    # --- commands ------------------------------------------------------------

    def add_event(self, user, title, start, end):
        self.srv.sql("INSERT INTO calendar_events (id, user_id, title, starts_at, ends_at, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     (str(uuid.uuid4()), user, title, int(start.timestamp()), int(end.timestamp()),
                      "2026-01-01T00:00:00Z"))

    def test_briefing_from_every_source(self):
        self.need_imap()
        today = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        self.add_event(USER, "Client meeting", today + datetime.timedelta(hours=14),
                       today + datetime.timedelta(hours=15))
        self.add_event(USER, "Team standup", today + datetime.timedelta(hours=9),
                       today + datetime.timedelta(hours=9, minutes=15))
        self.add_event(USER, "Tomorrow's thing", today + datetime.timedelta(days=1, hours=9),
                       today + datetime.timedelta(days=1, hours=10))
        self.add_event(BERLIN_USER, "Someone else's", today + datetime.timedelta(hours=10),
                       today + datetime.timedelta(hours=11))
        r = self.post("/v1/commands", {"command": "briefing"})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(set(body), {"command", "status", "result", "executed_at"})
        self.assertEqual((body["command"], body["status"]), ("MorningBriefing", "completed"))
        self.assertRegex(body["executed_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(body["result"], {"weather": "15°C, partly cloudy",
                                          "calendar": [{"time": "09:00", "title": "Team standup"},
                                                       {"time": "14:00", "title": "Client meeting"}],
                                          "emails": {"unread": 2, "important": 1}})

    def test_weather(self):
        r = self.post("/v1/commands", {"command": "weather", "args": {"location": "Paris"}})
        self.assertEqual(r.status_code, 200, r.text)
        result = r.json()["result"]
        self.assertEqual(result, {"location": "Paris, France", "latitude": 48.85341, "longitude": 2.3488,
                                  "temperature_c": 15.2, "condition": "partly cloudy", "weather_code": 2,
                                  "wind_speed_kmh": 11.5, "summary": "15°C, partly cloudy", "date": None})
        self.assertIn(("/v1/forecast", {"latitude": ["48.8534"], "longitude": ["2.3488"],
                                        "current": ["temperature_2m,weather_code,wind_speed_10m"],
                                        "timezone": ["auto"]}), self.weather.requests)
        r = self.post("/v1/commands", {"command": "weather", "args": {"location": "Atlantis"}})
        self.check_error(r, 404, "NOT_FOUND", "unknown location: Atlantis")

    def test_everyday_english_runs_the_parsed_query(self):
        r = self.post("/v1/commands", {"command": "what's the weather in Berlin tomorrow?"})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(body["command"], "GetWeather")
        self.assertEqual(body["result"]["summary"], "4–12°C, rain")
        r = self.post("/v1/commands", {"command": "create meeting tomorrow at 3pm"})
        self.assertEqual(r.json()["status"], "requires_approval")
        self.assertEqual(r.json()["result"]["title"], "meeting")

    def test_emails(self):
        self.need_imap()
        r = self.post("/v1/commands", {"command": "emails", "args": {"count": 2}})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["result"], {
            "unread": 2, "important": 1, "total": 3,
            "messages": [{"from": "Ops <ops@example.com>", "subject": "URGENT: server down",
                          "date": "Sat, 7 Feb 2026 03:00:00 +0000", "unread": True, "important": True},
                         {"from": "Carol <carol@example.com>", "subject": "Lunch?",
                          "date": "Sat, 7 Feb 2026 02:00:00 +0000", "unread": True, "important": False}]})
        # Reading summaries never marks mail as read.
        again = self.post("/v1/commands", {"command": "emails"}).json()["result"]
        self.assertEqual((again["unread"], len(again["messages"])), (2, 3))

    def test_calendar_days_in_the_users_zone(self):
        berlin = zoneinfo.ZoneInfo("Europe/Berlin")
        today = datetime.datetime.now(berlin).date()
        start = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(8, 30), berlin)
        self.add_event(BERLIN_USER, "Dentist", start, start + datetime.timedelta(minutes=45))
        r = self.post("/v1/commands", {"command": "calendar", "args": {"days": 2}}, key=BERLIN_KEY)
        self.assertEqual(r.status_code, 200, r.text)
        result = r.json()["result"]
        self.assertEqual((result["date"], result["days"], result["timezone"]),
                         (today.isoformat(), 2, "Europe/Berlin"))
        dentist = [e for e in result["events"] if e["title"] == "Dentist"]
        self.assertEqual(len(dentist), 1)
        self.assertEqual((dentist[0]["time"], dentist[0]["start"]), ("08:30", start.isoformat()))

    def test_ready_all_probes_the_configured_sources(self):
        self.need_imap()
        body = requests.get(self.srv.url("pisovereign", "/ready/all"), timeout=30).json()
        for name in ("weather", "email"):
            self.assertTrue(body["services"][name]["healthy"], body)
            self.assertIsInstance(body["services"][name]["latency_ms"], int)

    def test_help_lists_the_spec_commands(self):
        r = self.post("/v1/commands", {"command": "help"})
        self.assertEqual([c["command"] for c in r.json()["result"]["commands"]],
                         ["briefing", "weather", "calendar", "emails", "help"])

    def test_command_validation(self):
        cases = [({}, "command", "is required"), ({"command": 1}, "command", "must be a string"),
                 ({"command": "calendar", "args": {"days": 0}}, "args.days", "must be between 1 and 31"),
                 ({"command": "calendar", "args": {"days": "2"}}, "args.days", "must be an integer"),
                 ({"command": "emails", "args": {"verbose": True}}, "args.verbose", "is not an argument of emails"),
                 ({"command": "weather", "args": {"date": "tomorrow"}}, "args.date", "must be a date as YYYY-MM-DD"),
                 ({"command": "briefing", "args": []}, "args", "must be an object"),
                 ({"command": "sing a song"}, "command", "unknown command: no known command in the input")]
        for body, field, error in cases:
            self.check_error(self.post("/v1/commands", body), 422, "VALIDATION_ERROR", "Request validation failed",
                             self.fields(field, error))

    def test_spec_curl_example_for_commands(self):
        """The spec's cURL "Command" example, with its host and key pointed at this server."""
        self.need_imap()
        if not os.path.exists(SPEC):
            self.skipTest("shared/spec is not beside the repository")
        with open(SPEC) as f:
            spec = f.read()
        block = re.search(r"# Command\n(curl .*?)\n```", spec, re.S).group(1)
        block = block.replace("http://localhost:3000", self.srv.url("pisovereign", "")).replace("sk-abc123", KEY)
        out = subprocess.run(["bash", "-c", block + " -s"], capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        import json
        body = json.loads(out.stdout)
        self.assertEqual((body["command"], body["status"]), ("MorningBriefing", "completed"))


class UnconfiguredSourcesTest(unittest.TestCase):
    """No [weather] and no [email]: clear per-section errors, never made-up data."""

    @classmethod
    def setUpClass(cls):
        cls.srv = AtriumServer(config={"security.api_key_users": {KEY: USER}}).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        cls.srv.cleanup()
        assert code == 0, code

    def post(self, body):
        return requests.post(self.srv.url("pisovereign", "/v1/commands"), json=body,
                             headers={"Authorization": f"Bearer {KEY}"}, timeout=30)

    def test_briefing_names_each_missing_source(self):
        r = self.post({"command": "briefing"})
        self.assertEqual(r.status_code, 200, r.text)
        body = r.json()
        self.assertEqual(body["status"], "partial")
        self.assertEqual(body["result"], {
            "weather": None, "calendar": [], "emails": None,
            "errors": {"weather": "weather is not configured (set [weather] forecast_url and geocoding_url in "
                                  "atrium.toml)",
                       "emails": "email is not configured (set [email] imap_url in atrium.toml)"}})

    def test_single_source_commands_are_503(self):
        for command, message in [("weather", "weather is not configured (set [weather] forecast_url and "
                                             "geocoding_url in atrium.toml)"),
                                 ("emails", "email is not configured (set [email] imap_url in atrium.toml)")]:
            r = self.post({"command": command})
            self.assertEqual(r.status_code, 503, r.text)
            self.assertEqual(r.json()["error"]["code"], "SERVICE_UNAVAILABLE")
            self.assertEqual(r.json()["error"]["message"], message)


if __name__ == "__main__":
    unittest.main()
