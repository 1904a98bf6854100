"""Durable background jobs and the instance registry, from outside: two real `atrium`
binaries on one database (PostgreSQL when the tests run on it), the testing-mode job
routes (testing.echo_routes), kill -9 of the instance running a job, and the start-up
refusal of a second instance that has no Redis."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import requests

from harness import AtriumServer, postgres_server_url

TESTING = {"testing": {"echo_routes": True}}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on loopback, so that `redis.url` names a real one."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="atrium-redis-")
        self.port = free_port()
        self.proc = None

    def start(self):
        binary = shutil.which("redis-server")
        if binary:
            self.proc = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", self.dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_for(predicate, timeout=30.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def instance_id(srv):
    return requests.get(srv.url("unamentis", "/__atrium/instance"), timeout=5).json()["id"]


def get_job(srv, job_id):
    r = requests.get(srv.url("unamentis", f"/__atrium/jobs/{job_id}"), timeout=5)
    r.raise_for_status()
    return r.json()


class RefusalTest(unittest.TestCase):
    def test_a_second_instance_on_the_same_database_without_redis_refuses_to_start(self):
        with AtriumServer() as a:
            b = AtriumServer(data_dir=a.data_dir)
            try:
                with self.assertRaises(RuntimeError):
                    b.start()
                self.assertEqual(b.proc.returncode, 1)
                self.assertIn("atrium: refusing to start: another Atrium instance uses this database: instance ",
                              b.log())
                self.assertIn("set redis.url on every instance, or stop the other one", b.log())
            finally:
                b.stop()
                b.cleanup()
            # The first one keeps serving.
            self.assertEqual(requests.get(a.url("unamentis", "/health"), timeout=5).status_code, 200)

    def test_instances_on_different_databases_both_start(self):
        with AtriumServer() as a, AtriumServer() as b:
            self.assertEqual(requests.get(a.url("unamentis", "/health"), timeout=5).status_code, 200)
            self.assertEqual(requests.get(b.url("unamentis", "/health"), timeout=5).status_code, 200)

    def test_an_instance_that_stopped_or_was_killed_does_not_block_the_next(self):
        a = AtriumServer()
        try:
            a.start()
            a.stop()  # graceful: leaves the registry
            b = AtriumServer(data_dir=a.data_dir)
            b.start()
            b.signal(signal.SIGKILL)  # its row stays, but its pid is gone on this host
            b.wait()
            c = AtriumServer(data_dir=a.data_dir)
            c.start()
            self.assertEqual(requests.get(c.url("unamentis", "/health"), timeout=5).status_code, 200)
            c.stop()
            b.cleanup()
            c.cleanup()
        finally:
            a.stop()
            a.cleanup()


class JobRoutesTest(unittest.TestCase):
    def test_a_job_reports_progress_and_its_result(self):
        with AtriumServer(config=TESTING) as srv:
            r = requests.post(srv.url("unamentis", "/__atrium/jobs"),
                              json={"kind": "testing.sleep", "payload": "4:100"}, timeout=5)
            self.assertEqual(r.status_code, 201, r.text)
            job = r.json()
            self.assertEqual(job["state"], "queued")
            seen = wait_for(lambda: (lambda j: j if 0 < j["progress"]["done"] < 4 else None)(
                get_job(srv, job["id"])), timeout=20, interval=0.02)
            self.assertTrue(seen, "no progress was visible while it ran")
            self.assertEqual(seen["state"], "running")
            self.assertEqual(seen["lease_owner"], instance_id(srv))
            done = wait_for(lambda: (lambda j: j if j["state"] == "succeeded" else None)(get_job(srv, job["id"])))
            self.assertEqual(done["result"], "finished on " + instance_id(srv))
            self.assertEqual(done["progress"], {"done": 4, "total": 4, "fraction": 1.0, "message": "step 4 of 4"})
            self.assertEqual(done["attempts"], 1)
            bad = requests.post(srv.url("unamentis", "/__atrium/jobs"),
                                json={"kind": "testing.sleep", "payload": "x"}, timeout=5).json()
            failed = wait_for(lambda: (lambda j: j if j["state"] == "failed" else None)(get_job(srv, bad["id"])))
            self.assertEqual(failed["error"], "The payload must be <steps>:<step_ms>")
            self.assertEqual(requests.get(srv.url("unamentis", "/__atrium/jobs/nope"), timeout=5).status_code, 404)


@unittest.skipUnless(postgres_server_url(), "two instances on one database: PostgreSQL")
class KilledInstanceTest(unittest.TestCase):
    def test_a_job_in_flight_when_its_instance_is_killed_finishes_on_another(self):
        redis = RedisServer().start()
        config = {"testing": {"echo_routes": True}, "redis": {"url": redis.url},
                  "jobs": {"lease_ms": 1500, "poll_ms": 100}}
        a = AtriumServer(config=config)
        b = None
        try:
            a.start()
            a_id = instance_id(a)
            job = requests.post(a.url("unamentis", "/__atrium/jobs"),
                                json={"kind": "testing.sleep", "payload": "30:100"}, timeout=5).json()
            running = wait_for(lambda: (lambda j: j if j["state"] == "running" and j["progress"]["done"] > 0
                                        else None)(get_job(a, job["id"])), timeout=20, interval=0.02)
            self.assertTrue(running, "A never ran the job")
            self.assertEqual(running["lease_owner"], a_id)
            # B shares the database (and Redis), so it may start beside A.
            b = AtriumServer(config=config, data_dir=a.data_dir)
            b.start()
            b_id = instance_id(b)
            self.assertNotEqual(a_id, b_id)
            a.signal(signal.SIGKILL)
            a.wait()
            done = wait_for(lambda: (lambda j: j if j["state"] == "succeeded" else None)(get_job(b, job["id"])),
                            timeout=60)
            self.assertTrue(done, f"B never finished the job:\n{b.log()}")
            self.assertEqual(done["result"], "finished on " + b_id)
            self.assertEqual(done["attempts"], 2)
            self.assertEqual(done["progress"]["done"], 30)
        finally:
            if b:
                b.stop()
                b.cleanup()
            a.stop()
            a.cleanup()
            redis.stop()


if __name__ == "__main__":
    unittest.main()
