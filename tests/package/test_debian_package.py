"""The Debian package, installed for real: built with CPack from this build tree, `dpkg -i`
creates the atrium user, /var/lib/atrium and the conffile; the binary started as the
systemd unit starts it (its User, Group, WorkingDirectory and ExecStart, read from the
installed unit) answers on the configured ports and keeps its data in /var/lib/atrium;
`dpkg -r` leaves the data and the configuration; a reinstall finds the account again;
`dpkg --purge` removes both. Runs alone (RUN_SERIAL): it installs into this machine and
binds the default ports the shipped configuration names."""

import glob
import grp
import os
import pwd
import shlex
import signal
import socket
import stat
import subprocess
import tempfile
import time
import unittest

import requests

BUILD_DIR = os.environ.get("ATRIUM_BUILD_DIR", "")
UNIT = "/lib/systemd/system/atrium.service"
CONF = "/etc/atrium/atrium.toml"
DATA = "/var/lib/atrium"
PORTS = {"unichat": 5000, "pisovereign": 3000, "secondbrain": 8000, "unamentis": 8766, "mira": 8400,
         "openai": 8080}
POLICY_RC = "/usr/sbin/policy-rc.d"
EMAIL = "packaged@example.com"
PASSWORD = "Passw0rdOK"


def run(*argv, check=True, **kw):
    r = subprocess.run(list(argv), capture_output=True, text=True, timeout=240, **kw)
    if check and r.returncode != 0:
        raise AssertionError(f"{argv} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def installed():
    r = run("dpkg-query", "-W", "-f=${Status}", "atrium", check=False)
    return r.returncode == 0 and "installed" in r.stdout


def unit_settings(path):
    settings = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if "=" in line and not line.startswith(("#", ";", "[")):
                key, value = line.split("=", 1)
                settings[key.strip()] = value.strip()
    return settings


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("0.0.0.0", port))
            return True
        except OSError:
            return False


@unittest.skipUnless(os.geteuid() == 0, "installs a package: needs root")
class DebianPackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        assert BUILD_DIR, "ATRIUM_BUILD_DIR is not set"
        cls.tmp = tempfile.mkdtemp(prefix="atrium-deb-")
        run("cpack", "--config", os.path.join(BUILD_DIR, "CPackConfig.cmake"), "-B", cls.tmp)
        debs = glob.glob(os.path.join(cls.tmp, "atrium_*.deb"))
        assert len(debs) == 1, debs
        cls.deb = debs[0]
        if installed():
            run("dpkg", "--purge", "atrium")
        cls.user_existed = True
        try:
            pwd.getpwnam("atrium")
        except KeyError:
            cls.user_existed = False
        # Nothing this test installs starts as a service (where systemd runs): the test
        # starts the binary itself, the way the unit would.
        cls.own_policy = not os.path.exists(POLICY_RC)
        if cls.own_policy:
            with open(POLICY_RC, "w") as f:
                f.write("#!/bin/sh\nexit 101\n")
            os.chmod(POLICY_RC, 0o755)

    @classmethod
    def tearDownClass(cls):
        if installed():
            run("dpkg", "--purge", "atrium", check=False)
        if cls.own_policy and os.path.exists(POLICY_RC):
            os.remove(POLICY_RC)
        if not cls.user_existed:
            run("deluser", "--system", "--quiet", "atrium", check=False)
            run("delgroup", "--system", "--quiet", "atrium", check=False)
        subprocess.run(["rm", "-rf", cls.tmp])

    def start_as_unit(self):
        """Starts ExecStart as the installed unit says: its user and group, its working
        directory, systemd's minimal environment."""
        unit = unit_settings(UNIT)
        for port in PORTS.values():
            self.assertTrue(port_free(port), f"port {port} (the shipped configuration's) is in use")
        # setpriv execs the command as the user (no process in between, as with systemd).
        argv = ["setpriv", f"--reuid={unit['User']}", f"--regid={unit['Group']}", "--init-groups", "--"] + \
            shlex.split(unit["ExecStart"])
        env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
               "ASAN_OPTIONS": "detect_leaks=0"}  # a sanitizer build in CI; nothing for a release one
        log = open(os.path.join(self.tmp, "serve.log"), "ab")
        proc = subprocess.Popen(argv, cwd=unit["WorkingDirectory"], env=env, stdout=log, stderr=log)
        deadline = time.time() + 60
        while time.time() < deadline:
            self.assertIsNone(proc.poll(), self.server_log())
            try:
                if requests.get(f"http://127.0.0.1:{PORTS['unichat']}/api/health", timeout=2).status_code == 200:
                    return proc
            except requests.RequestException:
                pass
            time.sleep(0.2)
        proc.kill()
        self.fail("the packaged server did not answer within 60 s:\n" + self.server_log())

    def server_log(self):
        with open(os.path.join(self.tmp, "serve.log"), "rb") as f:
            return f.read().decode(errors="replace")[-8000:]

    def stop(self, proc):
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=60), 0, self.server_log())

    def test_install_serve_remove_reinstall_purge(self):
        # The package itself: its metadata, files and conffile.
        info = run("dpkg-deb", "--info", self.deb).stdout
        self.assertIn("Package: atrium", info)
        depends = next(line for line in info.splitlines() if line.strip().startswith("Depends:"))
        for dep in ("adduser", "libsqlite3", "libpq5", "libhiredis", "libarchive13"):
            self.assertIn(dep, depends)
        run("dpkg-deb", "--control", self.deb, os.path.join(self.tmp, "control"))
        with open(os.path.join(self.tmp, "control", "conffiles")) as f:
            self.assertIn("/etc/atrium/atrium.toml", f.read().split())
        files = run("dpkg-deb", "--contents", self.deb).stdout
        for path in ("./usr/bin/atrium", "./lib/systemd/system/atrium.service", "./etc/atrium/atrium.toml",
                     "./usr/share/doc/atrium/configuration.md"):
            self.assertIn(path, files)

        # dpkg -i: the user, the data directory and the configuration.
        run("dpkg", "-i", self.deb)
        self.assertTrue(installed())
        user = pwd.getpwnam("atrium")
        self.assertLess(user.pw_uid, 1000, "a system user")
        self.assertEqual(user.pw_dir, DATA)
        self.assertEqual(user.pw_shell, "/usr/sbin/nologin")
        st = os.stat(DATA)
        self.assertEqual((st.st_uid, stat.S_IMODE(st.st_mode)), (user.pw_uid, 0o750))
        st = os.stat(CONF)
        self.assertEqual((st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)), (0, grp.getgrnam("atrium").gr_gid, 0o640))
        self.assertEqual(run("atrium", "--version").stdout.strip(), "atrium 0.1.0")

        # Served as the unit serves it: every dialect answers, the data is the atrium user's.
        proc = self.start_as_unit()
        with open(f"/proc/{proc.pid}/status") as f:
            uid_line = next(line for line in f if line.startswith("Uid:"))
        self.assertEqual(int(uid_line.split()[1]), user.pw_uid)
        self.assertEqual(requests.get(f"http://127.0.0.1:{PORTS['pisovereign']}/health", timeout=5).status_code, 200)
        self.assertEqual(requests.get(f"http://127.0.0.1:{PORTS['secondbrain']}/api/health", timeout=5).status_code, 200)
        self.assertEqual(requests.get(f"http://127.0.0.1:{PORTS['unamentis']}/health", timeout=5).status_code, 200)
        self.assertEqual(requests.get(f"http://127.0.0.1:{PORTS['mira']}/api/v1/health", timeout=5).status_code, 200)
        r = requests.post(f"http://127.0.0.1:{PORTS['unichat']}/api/auth/register",
                          json={"email": EMAIL, "password": PASSWORD, "display_name": "Packaged"}, timeout=10)
        self.assertEqual(r.status_code, 201, r.text)
        self.stop(proc)
        for name in ("atrium.db", "jwt.key", "blobs"):
            self.assertEqual(os.stat(os.path.join(DATA, name)).st_uid, user.pw_uid, name)

        # dpkg -r: the binary goes, the data and the configuration stay.
        run("dpkg", "-r", "atrium")
        self.assertFalse(os.path.exists("/usr/bin/atrium"))
        self.assertFalse(os.path.exists(UNIT))
        self.assertTrue(os.path.exists(os.path.join(DATA, "atrium.db")))
        self.assertTrue(os.path.exists(CONF))

        # Reinstalled, it serves the same account.
        run("dpkg", "-i", self.deb)
        proc = self.start_as_unit()
        r = requests.post(f"http://127.0.0.1:{PORTS['unichat']}/api/auth/login",
                          json={"email": EMAIL, "password": PASSWORD}, timeout=10)
        self.assertEqual(r.status_code, 200, r.text)
        self.stop(proc)

        # dpkg --purge: data and configuration gone.
        run("dpkg", "--purge", "atrium")
        self.assertFalse(installed())
        self.assertFalse(os.path.exists(DATA))
        self.assertFalse(os.path.exists(CONF))


if __name__ == "__main__":
    unittest.main()
