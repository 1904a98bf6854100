"""PiSovereign's WhatsApp webhook: the verification handshake, X-Hub-Signature-256
(GitHub's published test vector, and 401 for anything else), replies sent through a
local stand-in for the Cloud API, and duplicate deliveries processed once, also after
a restart."""

import datetime
import hashlib
import hmac
import json
import shutil
import tempfile
import unittest
import uuid

import requests

from harness import AtriumServer
from piso_fixtures import CloudApiFixture, OpenMeteoFixture

SECRET = "It's a Secret to Everybody"
VECTOR_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
USER = "550e8400-e29b-41d4-a716-446655440000"
OTHER = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
OWNER_SENDERS = ["+4915112345678", "+15550001111", "+15550002222", "+1234567890", "+15550003333",
                 "+15550005555"]
OTHER_SENDER = "+1 555 000 4444"  # configured with spaces; the Cloud API sends digits
STRANGER = "15559990000"
REFUSAL = "Sorry, this number only answers its registered users."
LLM_UNAVAILABLE = ("Sorry, the assistant cannot answer right now (LLM unavailable). "
                   "Commands still work: send \"help\".")


def sign(body):
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def delivery(message_id, text, sender="+1234567890"):
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [{"profile": {"name": "Anna"}, "wa_id": sender.lstrip("+")}],
            "messages": [{"from": sender, "id": message_id, "timestamp": "1739230955", "type": "text",
                          "text": {"body": text}}]}}]}]}).encode()


class WebhookTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cloud = CloudApiFixture().__enter__()
        cls.weather = OpenMeteoFixture().__enter__()
        cls.data_dir = tempfile.mkdtemp(prefix="atrium-webhook-data-")
        cls.config = {
            "security.api_key_users": {"sk-webhook-test-key-01": USER, "sk-webhook-test-key-02": OTHER},
            "weather": cls.weather.config(),
            "webhooks.whatsapp": {"verify_token": "my-verify-token", "app_secret": SECRET,
                                  "access_token": "EAAG-test-token", "phone_number_id": "106540352242922",
                                  "api_base_url": cls.cloud.base + "/v21.0"},
            "webhooks.whatsapp.allowed_senders": dict([(json.dumps(n), USER) for n in OWNER_SENDERS] +
                                                      [(json.dumps(OTHER_SENDER), OTHER)]),
        }
        cls.srv = AtriumServer(config=cls.config, data_dir=cls.data_dir).start()
        today = datetime.datetime.now(datetime.timezone.utc).replace(hour=10, minute=0, second=0, microsecond=0)
        for user, title in ((USER, "Owner's secret meeting"), (OTHER, "Other's dentist")):
            cls.srv.sql("INSERT INTO calendar_events (id, user_id, title, starts_at, ends_at, created_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (str(uuid.uuid4()), user, title, int(today.timestamp()),
                         int(today.timestamp()) + 3600, "2026-01-01T00:00:00Z"))

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        shutil.rmtree(cls.data_dir, ignore_errors=True)
        assert "runtime error:" not in log and "AddressSanitizer" not in log, log
        cls.weather.__exit__(None, None, None)
        cls.cloud.__exit__(None, None, None)
        assert code == 0, code

    def url(self, query=""):
        return self.srv.url("pisovereign", "/v1/webhooks/whatsapp" + query)

    def post(self, body, signature=None):
        headers = {"Content-Type": "application/json",
                   "X-Hub-Signature-256": sign(body) if signature is None else signature}
        return requests.post(self.url(), data=body, headers=headers, timeout=30)

    def replies_to(self, sender):
        return [m for m in self.cloud.messages if m["body"]["to"] == sender]

    def test_handshake_echoes_the_challenge_only_with_the_right_token(self):
        r = requests.get(self.url("?hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=challenge123"),
                         timeout=10)
        self.assertEqual((r.status_code, r.text), (200, "challenge123"))
        self.assertTrue(r.headers["Content-Type"].startswith("text/plain"))
        r = requests.get(self.url("?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=challenge123"), timeout=10)
        self.assertEqual(r.status_code, 403)
        self.assertEqual(r.json()["error"]["code"], "FORBIDDEN")
        self.assertNotIn("challenge123", r.text)
        r = requests.get(self.url("?hub.mode=subscribe&hub.challenge=challenge123"), timeout=10)
        self.assertEqual(r.status_code, 400)

    def test_github_test_vector_verifies_and_other_signatures_are_401(self):
        r = self.post(b"Hello, World!", VECTOR_SIGNATURE)
        # The signature is accepted; the body is then not JSON.
        self.assertEqual(r.status_code, 400, r.text)
        self.assertEqual(r.json()["error"]["code"], "BAD_REQUEST")
        for bad in ("sha256=" + "0" * 64, VECTOR_SIGNATURE[:-1] + "8", "sha1=abc", ""):
            r = self.post(b"Hello, World!", bad)
            self.assertEqual(r.status_code, 401, bad)
            self.assertEqual(r.json()["error"], {"code": "UNAUTHORIZED", "message": "Invalid signature", "details": {},
                                                 "request_id": r.headers["X-Request-Id"]})
        r = requests.post(self.url(), data=b"{}", headers={"Content-Type": "application/json"}, timeout=10)
        self.assertEqual(r.status_code, 401)

    def test_a_command_is_answered_and_a_redelivery_is_processed_once(self):
        body = delivery("wamid.weather-1", "What's the weather in Berlin?", "+4915112345678")
        r = self.post(body)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json(), {"status": "received", "messages": 1, "processed": 1, "duplicates": 0,
                                    "replies_sent": 1, "replies_failed": 0, "refused": 0})
        sent = self.replies_to("+4915112345678")
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["path"], "/v21.0/106540352242922/messages")
        self.assertEqual(sent[0]["authorization"], "Bearer EAAG-test-token")
        self.assertEqual(sent[0]["body"], {"messaging_product": "whatsapp", "recipient_type": "individual",
                                           "to": "+4915112345678", "type": "text",
                                           "text": {"preview_url": False,
                                                    "body": "Weather Berlin, Germany: 15°C, partly cloudy"}})
        r = self.post(body)
        self.assertEqual(r.json()["duplicates"], 1)
        self.assertEqual(r.json()["processed"], 0)
        self.assertEqual(len(self.replies_to("+4915112345678")), 1)

    def test_free_text_gets_the_llm_unavailable_reply(self):
        r = self.post(delivery("wamid.hello-1", "Hello, how are you?", "+15550001111"))
        self.assertEqual(r.status_code, 200, r.text)
        sent = self.replies_to("+15550001111")
        self.assertEqual([m["body"]["text"]["body"] for m in sent], [LLM_UNAVAILABLE])

    def test_state_changes_are_not_made_from_a_message(self):
        self.post(delivery("wamid.create-1", "create meeting tomorrow at 3pm", "+15550002222"))
        sent = self.replies_to("+15550002222")
        self.assertEqual(len(sent), 1)
        self.assertTrue(sent[0]["body"]["text"]["body"].startswith(
            "Needs your approval (nothing was created): event \"meeting\" from "), sent[0])

    def test_an_unknown_sender_gets_one_refusal_and_nobodys_data(self):
        texts = ["what's on my calendar today", "check my email", "briefing", "Hello, who are you?"]
        for i, text in enumerate(texts):
            r = self.post(delivery(f"wamid.stranger-{i}", text, STRANGER))
            self.assertEqual(r.status_code, 200, r.text)
            self.assertEqual(r.json(), {"status": "received", "messages": 1, "processed": 1, "duplicates": 0,
                                        "replies_sent": 0, "replies_failed": 0, "refused": 1})
        sent = self.replies_to(STRANGER)
        # One refusal a day per number, whatever it writes.
        self.assertEqual([m["body"]["text"]["body"] for m in sent], [REFUSAL])
        r = self.post(delivery("wamid.stranger-plus", "calendar", "+" + STRANGER))
        self.assertEqual(r.json()["refused"], 1)
        self.assertEqual(len(self.replies_to("+" + STRANGER)), 0)

    def test_each_allowed_sender_acts_as_its_own_user(self):
        self.post(delivery("wamid.other-cal", "what's on my calendar today", "15550004444"))
        self.post(delivery("wamid.owner-cal", "what's on my calendar today", "+15550005555"))
        other = [m["body"]["text"]["body"] for m in self.replies_to("15550004444")]
        owner = [m["body"]["text"]["body"] for m in self.replies_to("+15550005555")]
        self.assertEqual(len(other), 1)
        self.assertIn("Other's dentist", other[0])
        self.assertNotIn("Owner's secret meeting", other[0])
        self.assertEqual(len(owner), 1)
        self.assertIn("Owner's secret meeting", owner[0])
        self.assertNotIn("Other's dentist", owner[0])

    def test_spec_example_payload_without_an_id_is_processed_once(self):
        body = json.dumps({"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {
            "messages": [{"from": "+1234567890", "type": "text", "text": {"body": "Hello"}}]}}]}]}).encode()
        first = self.post(body).json()
        second = self.post(body).json()
        self.assertEqual((first["processed"], second["duplicates"]), (1, 1))

    def test_duplicates_survive_a_restart(self):
        body = delivery("wamid.restart-1", "help", "+15550003333")
        self.assertEqual(self.post(body).json()["processed"], 1)
        old = self.srv
        self.assertEqual(old.stop(), 0)
        self.assertNotIn("runtime error:", old.log())
        old.cleanup()  # the data directory is the class's own and survives
        self.srv = type(self).srv = AtriumServer(config=self.config, data_dir=self.data_dir).start()
        self.assertEqual(self.post(body).json()["duplicates"], 1)
        self.assertEqual(len(self.replies_to("+15550003333")), 1)


class WebhookSenderConfigTest(unittest.TestCase):
    def test_the_old_single_owner_setting_and_unknown_users_stop_the_server(self):
        base = {"webhooks.whatsapp": {"app_secret": SECRET, "user_id": USER}}
        self.assertIn("webhooks.whatsapp.user_id: is no longer supported", self.start_error(base))
        bad = {"webhooks.whatsapp": {"app_secret": SECRET},
               "webhooks.whatsapp.allowed_senders": {json.dumps("+15550001111"): "nobody@example.com"}}
        self.assertIn("'15550001111' maps to 'nobody@example.com', which is no user", self.start_error(bad))

    def start_error(self, config):
        srv = AtriumServer(config=config)
        try:
            with self.assertRaises(RuntimeError) as e:
                srv.start()
            return str(e.exception)
        finally:
            srv.cleanup()


class WebhookUnconfiguredTest(unittest.TestCase):
    def test_unconfigured_webhook_is_503(self):
        with AtriumServer() as srv:
            r = requests.get(srv.url("pisovereign", "/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=x"
                                                    "&hub.challenge=y"), timeout=10)
            self.assertEqual(r.status_code, 503)
            r = requests.post(srv.url("pisovereign", "/v1/webhooks/whatsapp"), data=b"{}",
                              headers={"X-Hub-Signature-256": "sha256=00"}, timeout=10)
            self.assertEqual(r.status_code, 503)
            self.assertEqual(r.json()["error"]["message"], "WhatsApp webhook is not configured")


if __name__ == "__main__":
    unittest.main()
