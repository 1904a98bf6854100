"""Secondbrain documents, end to end (second-brain-api.md, "Document Management"): a real
PDF (groff's gropdf) and a real DOCX (pandoc) uploaded as multipart, 202 and processed in
the background to ready with pages, sections, chunks and language; a question about one
page answered with that chunk's id in retrievedContext (full text and vectors from the
fake upstream's embeddings, fused); 415 for another format, 400 for a broken PDF, 413 as
the body arrives; the owner's scope; list filters and pages; reindex and delete; the
health entry vectorDb and the profile's totalDocuments."""

import os
import socket
import subprocess
import tempfile
import time
import unittest

from fake_upstream import FakeUpstream
from harness import AtriumServer
from secondbrain_client import SecondbrainUser, error_of

PAGES = [
    "Project requirements. The system must answer every request within one second.",
    "Deployment notes. The warehouse robots recharge at the northern dock every night.",
    "Budget. Travel costs are capped at four thousand euros for the whole year.",
]


def make_pdf(directory):
    src = os.path.join(directory, "plan.ms")
    with open(src, "w") as f:
        f.write(".TL\nProject Plan\n")
        for i, text in enumerate(PAGES):
            if i:
                f.write(".bp\n")
            f.write(".PP\n" + text + "\n")
    out = os.path.join(directory, "plan.pdf")
    with open(out, "wb") as f:
        subprocess.run(["groff", "-ms", "-Tpdf", src], stdout=f, check=True)
    return out


def make_docx(directory):
    src = os.path.join(directory, "notes.md")
    with open(src, "w") as f:
        f.write("---\ntitle: Team Notes\nauthor: Jane Doe\n---\n\n# Introduction\n\n"
                "The team meets every Tuesday morning to plan the week.\n\n# Holidays\n\n"
                "Everyone takes the second half of August off, and the office closes.\n")
    out = os.path.join(directory, "notes.docx")
    subprocess.run(["pandoc", src, "-o", out], check=True)
    return out


class SecondbrainDocumentsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="atrium-docs-")
        cls.pdf = make_pdf(cls.tmp)
        cls.docx = make_docx(cls.tmp)
        cls.fake = FakeUpstream("--models", "fake-chat,fake-embed")
        cls.srv = AtriumServer(config={
            "security": {"trusted_proxies": ["127.0.0.1"]},
            "llm": {"base_url": cls.fake.base, "model": "fake-chat", "embedding_model": "fake-embed"},
            "jobs": {"poll_ms": 50},
        }).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.srv.stop()
        log = cls.srv.log()
        cls.srv.cleanup()
        cls.fake.stop()
        assert code == 0, code
        assert "ERROR: AddressSanitizer" not in log and "runtime error:" not in log, log

    def upload(self, user, path, name=None, metadata=None, mime="application/octet-stream"):
        with open(path, "rb") as f:
            files = {"file": (name or os.path.basename(path), f, mime)}
            data = {"metadata": metadata} if metadata is not None else None
            return user.post("/upload", files=files, data=data)

    def wait_ready(self, user, doc_id, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = user.get(f"/document/{doc_id}")
            self.assertEqual(r.status_code, 200, r.text)
            if r.json()["document"]["status"] != "processing":
                return r.json()
            time.sleep(0.1)
        self.fail("document still processing")

    def test_pdf_upload_processed_and_cited_in_chat(self):
        ann = SecondbrainUser(self.srv)
        r = self.upload(ann, self.pdf, "Project Plan.pdf",
                        metadata='{"title": "Plan", "author": "Ann", "tags": ["project", "plan"]}')
        self.assertEqual(r.status_code, 202, r.text)
        body = r.json()
        self.assertEqual(body["message"], "Document uploaded successfully. Processing in background.")
        doc = body["document"]
        self.assertEqual(doc["status"], "processing")
        self.assertEqual(doc["originalName"], "Project Plan.pdf")
        self.assertEqual(doc["mimeType"], "application/pdf")
        self.assertEqual(doc["size"], os.path.getsize(self.pdf))
        self.assertRegex(doc["filename"], r"^project_plan_\d{8}\.pdf$")
        self.assertEqual(doc["metadata"]["tags"], ["project", "plan"])

        details = self.wait_ready(ann, doc["id"])
        d = details["document"]
        self.assertEqual(d["status"], "ready", d)
        self.assertEqual(d["metadata"]["pageCount"], 3)
        self.assertEqual(d["metadata"]["language"], "en")
        self.assertEqual(d["metadata"]["title"], "Plan")
        self.assertIsNotNone(d["processedAt"])
        chunks = details["chunks"]
        self.assertEqual(d["chunkCount"], len(chunks))
        self.assertGreaterEqual(len(chunks), 1)
        self.assertEqual([c["chunkIndex"] for c in chunks], list(range(len(chunks))))
        robots = [c for c in chunks if "robots" in c["content"]]
        self.assertTrue(robots, chunks)
        self.assertIn(robots[0]["metadata"]["page"], (1, 2))

        # A question about page two: its chunk is what the answer used.
        r = ann.post("/chat", json={"message": "Where do the warehouse robots recharge?"})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertIn(robots[0]["id"], r.json()["metadata"]["retrievedContext"])

        # Another user sees none of it.
        bob = SecondbrainUser(self.srv)
        for method, path in (("GET", f"/document/{doc['id']}"), ("DELETE", f"/document/{doc['id']}"),
                             ("POST", f"/document/{doc['id']}/reindex")):
            error_of(self, bob.request(method, path), 404, "NOT_FOUND")
        self.assertEqual(bob.get("/documents").json()["pagination"]["total"], 0)
        r = bob.post("/chat", json={"message": "Where do the warehouse robots recharge?"})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertNotIn(robots[0]["id"], r.json()["metadata"]["retrievedContext"])

        self.assertEqual(ann.get("/user/profile").json()["user"]["stats"]["totalDocuments"], 1)

        # Reindex, then delete with the chunk count.
        r = ann.post(f"/document/{doc['id']}/reindex")
        self.assertEqual(r.status_code, 202, r.text)
        self.assertEqual(r.json(), {"message": "Document reindexing started", "documentId": doc["id"],
                                    "status": "processing"})
        again = self.wait_ready(ann, doc["id"])
        self.assertEqual(again["document"]["status"], "ready")
        r = ann.delete(f"/document/{doc['id']}")
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["deletedId"], doc["id"])
        self.assertEqual(r.json()["chunksDeleted"], len(again["chunks"]))
        error_of(self, ann.get(f"/document/{doc['id']}"), 404, "NOT_FOUND")

    def test_docx_sections_and_the_list(self):
        ann = SecondbrainUser(self.srv)
        r = self.upload(ann, self.docx)
        self.assertEqual(r.status_code, 202, r.text)
        doc = r.json()["document"]
        self.assertEqual(doc["mimeType"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        details = self.wait_ready(ann, doc["id"])
        self.assertEqual(details["document"]["metadata"]["title"], "Team Notes")
        self.assertEqual(details["document"]["metadata"]["author"], "Jane Doe")
        self.assertIsNone(details["document"]["metadata"]["pageCount"])
        sections = {c["metadata"]["section"] for c in details["chunks"]}
        self.assertIn("Holidays", sections)
        for c in details["chunks"]:
            self.assertIsNone(c["metadata"]["page"])
        # A text file too, then the list with its filters and pages.
        notes = os.path.join(self.tmp, "todo.md")
        with open(notes, "w") as f:
            f.write("# Todo\n\nBuy tomatoes and water the garden.\n")
        self.assertEqual(self.upload(ann, notes).status_code, 202)
        r = ann.get("/documents", params={"limit": 1, "page": 1, "sortBy": "uploadedAt", "order": "asc"})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["pagination"]["total"], 2)
        self.assertEqual(r.json()["pagination"]["totalPages"], 2)
        self.assertEqual(r.json()["documents"][0]["id"], doc["id"])
        ready = ann.get("/documents", params={"status": "ready"}).json()
        self.assertTrue(all(d["status"] == "ready" for d in ready["documents"]))
        error_of(self, ann.get("/documents", params={"status": "lost"}), 400, "VALIDATION_ERROR")
        error_of(self, ann.get("/documents", params={"sortBy": "colour"}), 400, "VALIDATION_ERROR")

    def test_refusals(self):
        ann = SecondbrainUser(self.srv)
        png = os.path.join(self.tmp, "x.pdf")
        with open(png, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
        error_of(self, self.upload(ann, png), 415, "FILE_ERROR")
        cut = os.path.join(self.tmp, "cut.pdf")
        with open(self.pdf, "rb") as f, open(cut, "wb") as g:
            data = f.read()
            g.write(data[: len(data) // 2])
        error_of(self, self.upload(ann, cut), 400, "FILE_ERROR")
        error_of(self, self.upload(ann, self.pdf, metadata="not json"), 400, "VALIDATION_ERROR")
        self.assertEqual(ann.post("/upload", json={"file": "x"}).status_code, 415)
        error_of(self, ann.post("/upload", files={"other": ("a.txt", b"hello")}), 400, "VALIDATION_ERROR")
        self.assertEqual(ann.get("/documents").json()["pagination"]["total"], 0)
        # Over 100 MB: refused from the declared length, before the body is read.
        host, port = self.srv.url("secondbrain", "/").split("//")[1].split("/")[0].split(":")
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall((f"POST /api/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ann.token}\r\n"
                       "Content-Type: multipart/form-data; boundary=b\r\n"
                       f"X-Forwarded-For: {ann.address}\r\nContent-Length: {200 << 20}\r\n\r\n").encode())
            s.sendall(b"--b\r\n" + b"x" * 65536)
            reply = s.recv(65536).decode(errors="replace")
        self.assertTrue(reply.startswith("HTTP/1.1 413"), reply[:200])
        # Chunked, no length: refused as the body crosses the limit, and nothing is left
        # in the spool directory.
        with socket.create_connection((host, int(port)), timeout=30) as s:
            s.sendall((f"POST /api/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ann.token}\r\n"
                       "Content-Type: multipart/form-data; boundary=b\r\n"
                       f"X-Forwarded-For: {ann.address}\r\nTransfer-Encoding: chunked\r\n\r\n").encode())
            chunk = b"y" * (1 << 20)
            reply = b""
            try:
                for _ in range(120):
                    s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            except OSError:
                pass
            try:
                reply = s.recv(65536)
            except OSError:
                pass
        self.assertTrue(reply.startswith(b"HTTP/1.1 413"), reply[:200])
        time.sleep(0.5)
        self.assertEqual(os.listdir(os.path.join(self.srv.data_dir, "spool")), [])

    def test_health_says_what_retrieval_uses(self):
        r = SecondbrainUser(self.srv).get("/health", auth=False)
        vectors = r.json()["services"]["vectorDb"]
        self.assertEqual(vectors["status"], "up", vectors)
        self.assertEqual(vectors["model"], "fake-embed")


if __name__ == "__main__":
    unittest.main()
