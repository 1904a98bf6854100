"""`atrium backup` and `atrium restore`, on the driver the run uses (SQLite, and
PostgreSQL as blackbox_pg): a backup made while clients keep writing holds every
conversation, message, assistant config and generated image (a blob) acknowledged before
it began; restored into a fresh data directory (and database), a new server serves them
all, and tokens issued before the backup still work (the key file and the sessions came
with it). A restore over existing data, an archive that was altered, cut short or names a
path outside its directory, and a file that is not an archive are refused with exit code
2 before anything is written."""

import base64
import io
import os
import shutil
import subprocess
import tarfile
import threading
import time
import unittest

import requests

from fake_upstream import FakeUpstream
from harness import AtriumServer, atrium_binary, to_toml
from unichat_client import UnichatUser

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 13


def cli(*args, timeout=120):
    return subprocess.run([atrium_binary()] + list(args), capture_output=True, text=True, timeout=timeout)


def write_config(srv):
    path = os.path.join(srv.workdir, "atrium.toml")
    with open(path, "w") as f:
        f.write(to_toml(srv.config))
    return path


class BackupRestoreTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeUpstream()
        cls.CONFIG = {"security": {"rate_limits": False},
                      "llm": {"base_url": cls.fake.base, "model": "fake-chat", "image_models": ["fake-image"]}}
        cls.srv = AtriumServer(config=cls.CONFIG).start()
        cls.tmp = os.path.join(cls.srv.workdir, "backups")
        os.makedirs(cls.tmp)
        cls.users = {name: UnichatUser(cls.srv, f"{name}@example.com") for name in ("ann", "bob")}
        cls.expected = {}  # user -> {conversation id: [message contents]}
        cls.images = {}  # user -> (image url, bytes)
        cls.configs = {}
        for name, user in cls.users.items():
            r = user.call("POST", "/api/configs", json={"name": f"{name}'s", "model_id": "fake-chat",
                                                        "system_prompt": "You are terse."})
            assert r.status_code == 201, r.text
            config_id = r.json()["config"]["id"]
            cls.configs[name] = config_id
            conversations = {}
            for i in range(3):
                cid = None
                for j in range(2):
                    body = {"config_id": config_id, "message": f"{name} question {i}.{j} – ünïcode"}
                    if cid:
                        body["conversation_id"] = cid
                    r = user.call("POST", "/api/chat/send", json=body)
                    assert r.status_code == 200, r.text
                    cid = r.json()["conversation_id"]
                conversations[cid] = cls.contents(user, cid)
            cls.expected[name] = conversations
            r = user.call("POST", "/api/image-gen/generate", json={"prompt": f"{name}'s sunset", "model": "fake-image"})
            assert r.status_code == 200, r.text
            body = r.json()
            cls.images[name] = (body["image"]["image_url"], base64.b64decode(body["image_data"].split(",", 1)[1]))
        cls.config_path = write_config(cls.srv)

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        cls.fake.stop()
        assert code == 0, f"atrium exited with {code}:\n{log[-20000:]}"

    @staticmethod
    def contents(user, cid):
        r = user.call("GET", f"/api/chat/{cid}/messages")
        assert r.status_code == 200, r.text
        return [(m["role"], m["content"]) for m in r.json()["messages"]]

    def backup(self, name):
        out = os.path.join(self.tmp, name)
        r = cli("backup", "--output", out, "--config", self.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("backup written", r.stdout)
        return out

    def fresh_server(self):
        """A server not started yet, on a fresh data directory (and, on PostgreSQL, a
        fresh database), with its configuration file written."""
        srv = AtriumServer(config=self.CONFIG)
        self.addCleanup(srv.cleanup)
        return srv, write_config(srv)

    def test_backup_while_writing_then_restore_on_a_fresh_server(self):
        bob = self.users["bob"]
        acknowledged_before = []
        acknowledged = []
        stop = threading.Event()
        backup_started = threading.Event()

        def writer():
            n = 0
            while not stop.is_set():
                r = bob.call("POST", "/api/conversations", json={"title": f"during {n}"})
                if r.status_code == 201:
                    cid = r.json()["conversation"]["id"]
                    (acknowledged if backup_started.is_set() else acknowledged_before).append(cid)
                n += 1

        t = threading.Thread(target=writer)
        t.start()
        try:
            time.sleep(0.5)
            backup_started.set()
            archive = self.backup("live.tar.gz")
            time.sleep(0.3)
        finally:
            stop.set()
            t.join()
        self.assertGreater(len(acknowledged_before), 0)
        self.assertGreater(len(acknowledged), 0, "the server kept serving writes while the backup ran")

        with tarfile.open(archive) as tar:
            names = tar.getnames()
        self.assertEqual(names[-1], "manifest.json")
        self.assertIn("data/jwt.key", names)
        self.assertTrue(any(n.startswith("database/") for n in names))
        self.assertEqual(sum(n.startswith("data/blobs/") for n in names), 2)

        srv, config = self.fresh_server()
        r = cli("restore", "--input", archive, "--config", config)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("restored", r.stdout)
        srv.start()
        try:
            for name, user in self.users.items():
                # The token issued by the old server: same key, same session.
                user.srv = srv
                try:
                    for cid, messages in self.expected[name].items():
                        self.assertEqual(self.contents(user, cid), messages)
                        self.assertEqual(user.call("GET", f"/api/conversations/{cid}").status_code, 200)
                    url, raw = self.images[name]
                    r = user.call("GET", url)
                    self.assertEqual((r.status_code, r.content), (200, raw))
                    r = user.call("GET", "/api/configs")
                    self.assertIn(self.configs[name], {c["id"] for c in r.json()["configs"]})
                    if name == "bob":
                        for cid in acknowledged_before:
                            self.assertEqual(user.call("GET", f"/api/conversations/{cid}").status_code, 200, cid)
                finally:
                    user.srv = self.srv
            # The restored accounts sign in with their passwords too.
            r = requests.post(srv.url("unichat", "/api/auth/login"),
                              json={"email": "ann@example.com", "password": "Passw0rdOK"}, timeout=10)
            self.assertEqual(r.status_code, 200, r.text)
        finally:
            self.assertEqual(srv.stop(), 0, srv.log()[-5000:])

        # A second restore over what is there now is refused, and changes nothing.
        r = cli("restore", "--input", archive, "--config", config)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("restore into", r.stderr)

    def assert_refused(self, archive, message):
        srv, config = self.fresh_server()
        r = cli("restore", "--input", archive, "--config", config)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn(message, r.stderr)
        self.assertFalse(os.path.exists(os.path.join(srv.data_dir, "atrium.db")))
        blobs = os.path.join(srv.data_dir, "blobs")
        self.assertFalse(os.path.isdir(blobs) and os.listdir(blobs))
        self.assertFalse(os.path.exists(os.path.join(srv.data_dir, "jwt.key")))
        leftovers = [n for n in os.listdir(srv.data_dir) if n.startswith(".atrium-restore-")]
        self.assertEqual(leftovers, [])

    def rewrite(self, source, dest, change):
        """A copy of the archive `source` with `change(name, bytes)` applied to each member
        (None drops it); extra members come from change(None, None) as (name, bytes) pairs."""
        with tarfile.open(source) as tar, tarfile.open(dest, "w:gz") as out:
            for member in tar.getmembers():
                data = tar.extractfile(member).read()
                data = change(member.name, data)
                if data is None:
                    continue
                info = tarfile.TarInfo(member.name)
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
            for name, data in change(None, None) or []:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
        return dest

    def test_damaged_or_hostile_archives_are_refused_before_anything_is_written(self):
        archive = self.backup("good.tar.gz")

        def flip_blob(name, data):
            if name and name.startswith("data/blobs/"):
                return bytes([data[0] ^ 1]) + data[1:]
            return data
        self.assert_refused(self.rewrite(archive, os.path.join(self.tmp, "flipped.tar.gz"), flip_blob),
                            "does not match its checksum")

        def drop_key(name, data):
            return None if name == "data/jwt.key" else data
        self.assert_refused(self.rewrite(archive, os.path.join(self.tmp, "dropped.tar.gz"), drop_key),
                            "lacks data/jwt.key")

        def escape(name, data):
            return [("../outside", b"x")] if name is None else data
        self.assert_refused(self.rewrite(archive, os.path.join(self.tmp, "escape.tar.gz"), escape), "entry name")

        cut = os.path.join(self.tmp, "cut.tar.gz")
        with open(archive, "rb") as f, open(cut, "wb") as g:
            whole = f.read()
            g.write(whole[: len(whole) // 2])
        self.assert_refused(cut, "restore:")

        junk = os.path.join(self.tmp, "junk.tar.gz")
        with open(junk, "wb") as f:
            f.write(b"this is not an archive\n" * 100)
        self.assert_refused(junk, "restore:")

        # A symlink entry (a classic way out of the directory) is not a regular file.
        sym = os.path.join(self.tmp, "symlink.tar.gz")
        with tarfile.open(archive) as tar, tarfile.open(sym, "w:gz") as out:
            for member in tar.getmembers():
                out.addfile(member, tar.extractfile(member))
            link = tarfile.TarInfo("data/blobs/link")
            link.type = tarfile.SYMTYPE
            link.linkname = "/etc/passwd"
            out.addfile(link)
        self.assert_refused(sym, "not a regular file")

    def test_backup_does_not_overwrite_without_force(self):
        out = self.backup("once.tar.gz")
        r = cli("backup", "--output", out, "--config", self.config_path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("exists", r.stderr)
        r = cli("backup", "--output", out, "--force", "--config", self.config_path)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main()
