"""The command line: --version, migrate, config validation and environment overrides."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import requests

from harness import AtriumServer, atrium_binary, to_toml


def run(args, cwd, env=None, timeout=30):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([atrium_binary()] + args, cwd=cwd, env=full_env, capture_output=True, text=True,
                          timeout=timeout)


class CliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="atrium-cli-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write_config(self, text):
        path = os.path.join(self.dir, "atrium.toml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_version(self):
        r = run(["--version"], self.dir)
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stdout.strip(), "atrium 0.1.0")

    def test_bad_config_stops_startup_with_one_line_naming_the_key(self):
        cases = [
            ("[server]\nio_threads = 9999\n", "atrium: config error: server.io_threads: must be between 0 and 256 (got 9999)"),
            ("[server]\nmax_conections = 5\n", "atrium: config error: server.max_conections: unknown setting"),
            ("[dialects.unichat]\nport = \"five thousand\"\n", "atrium: config error: dialects.unichat.port: must be an integer"),
            ("[server]\nbind = \"localhost:80\"\n",
             "atrium: config error: server.bind: 'localhost:80' is not an IPv4 or IPv6 address"),
            ("[dialects.mira]\nport = 5000\n",
             "atrium: config error: dialects.mira.port: 5000 is already used by dialects.unichat"),
            ("[log]\nlevel = \"loud\"\n",
             "atrium: config error: log.level: must be one of trace, debug, info, warn, error, critical, off (got 'loud')"),
        ]
        for text, line in cases:
            with self.subTest(config=text):
                path = self.write_config(text)
                r = run(["serve", "--config", path], self.dir)
                self.assertEqual(r.returncode, 2)
                self.assertEqual(r.stderr, line + "\n")

    def test_toml_syntax_error_names_the_line(self):
        path = self.write_config("[server]\nio_threads = = 2\n")
        r = run(["serve", "--config", path], self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertTrue(r.stderr.startswith(f"atrium: config error: config: '{path}' line 2: "), r.stderr)
        self.assertEqual(r.stderr.count("\n"), 1)

    def test_bad_environment_value_names_the_variable(self):
        r = run(["serve"], self.dir, env={"ATRIUM_SERVER_MAX_CONNECTIONS": "lots"})
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "atrium: config error: server.max_connections: must be an integer "
                                   "(ATRIUM_SERVER_MAX_CONNECTIONS='lots')\n")

    def test_port_in_use_is_one_clear_line(self):
        with AtriumServer() as srv:
            busy = srv.port("unichat")
            path = self.write_config(to_toml({"server": {"bind": "127.0.0.1"},
                                              "dialects.unichat": {"port": busy},
                                              **{f"dialects.{d}": {"port": 0} for d in
                                                 ("unamentis", "secondbrain", "pisovereign", "mira", "openai")}}))
            r = run(["serve", "--config", path], self.dir)
            self.assertEqual(r.returncode, 1)
            self.assertIn(f"atrium: cannot bind unichat port {busy}: Address already in use\n", r.stderr)

    def test_environment_overrides_the_file(self):
        srv = AtriumServer(config={"dialects.unichat": {"enabled": True}},
                           env={"ATRIUM_DIALECTS_UNICHAT_ENABLED": "false", "ATRIUM_DIALECTS_MIRA_ENABLED": "0"})
        with srv:
            self.assertEqual(sorted(srv.ports), ["openai", "pisovereign", "secondbrain", "secondbrain_socket", "unamentis"])

    def test_no_config_uses_atrium_toml_in_the_working_directory_and_data_under_it(self):
        # ./atrium.toml is read when present; data.dir defaults to ./data.
        self.write_config(to_toml({"server": {"bind": "127.0.0.1"},
                                   **{f"dialects.{d}": {"port": 0} for d in
                                      ("unamentis", "unichat", "secondbrain", "pisovereign", "mira", "openai")}}))
        ready = os.path.join(self.dir, "ready.json")
        proc = subprocess.Popen([atrium_binary(), "serve", "--ready-file", ready], cwd=self.dir,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(1500):
                if os.path.exists(ready):
                    break
                time.sleep(0.02)
            with open(ready) as f:
                ports = json.load(f)
            self.assertEqual(set(ports), {"unamentis", "unichat", "secondbrain", "secondbrain_socket", "pisovereign", "mira",
                                      "openai"})
            r = requests.get(f"http://127.0.0.1:{ports['unamentis']}/health", timeout=10)
            self.assertEqual(r.status_code, 200)
            self.assertTrue(os.path.exists(os.path.join(self.dir, "data", "atrium.db")))
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(30), 0)

    def test_migrate_applies_once(self):
        path = self.write_config(to_toml({"data": {"dir": os.path.join(self.dir, "d")}}))
        r = run(["migrate", "--config", path], self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        names = ["client_logs", "identity", "assistant_configs_prompt_templates_audit", "generated_images", "arena",
                 "calendar_events", "webhook_deliveries", "conversations", "usage_analytics_indexes", "client_logs_unique_id",
                 "explicit_insertion_order", "jobs_and_instances", "memories_and_message_annotations",
                 "documents_and_chunks", "embeddings"]
        n = len(names)
        self.assertEqual(r.stdout, f"schema version 0 -> {n} ({n} migration(s) applied)\n"
                         + "".join(f"  applied {name}\n" for name in names))
        r = run(["migrate", "--config", path], self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, f"schema version {n} -> {n} (0 migration(s) applied)\n")


if __name__ == "__main__":
    unittest.main()
