#!/usr/bin/python3
"""A large document through secondbrain's knowledge base, end to end: a PDF of about
50 MB (by default: 400 pages of text and one 48 MB uncompressed photo-sized image, the
way a scanned-and-annotated report is large) uploaded as multipart to
POST /api/upload on a real `atrium serve`, then polled until it is ready.

Measured:
  - upload: request sent -> 202 received (the body streamed to the spool, the file part
    copied to the blob store, its bytes probed);
  - processing: 202 -> status ready (poppler text of every page, language, chunks,
    and with --embed their vectors from the fake upstream, all stored);
  - Atrium's memory: VmRSS idle before the upload and VmHWM (peak) after it is ready,
    so the difference is what holding the upload and processing it cost.

  bench/documents_bench.py --atrium build/release/src/app/atrium [--pages 400] [--image-mb 48] [--embed]

Prints a markdown table. Uses the black-box harness (tests/blackbox) to start Atrium
on free loopback ports in a temporary directory, with SQLite, and python3-requests.
"""

import argparse
import os
import random
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "blackbox"))

from fake_upstream import FakeUpstream  # noqa: E402
from harness import AtriumServer  # noqa: E402
from secondbrain_client import SecondbrainUser  # noqa: E402

WORDS = ("the warehouse robots recharge at the northern dock every night while the budget for travel "
         "is capped and the project requirements say every request is answered within one second "
         "so the team meets on tuesday mornings to plan deployment notes and holidays").split()


def pdf_bytes(pages, image_bytes, seed=7):
    """A valid PDF: `pages` pages of Helvetica text, page 1 also drawing one RGB image of
    about `image_bytes` (random samples, uncompressed, so its size is what it is)."""
    rng = random.Random(seed)
    objects = []  # bodies, object n is objects[n - 1]

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    side = max(1, int((image_bytes / 3) ** 0.5))
    samples = rng.randbytes(side * side * 3)
    image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (side, side, len(samples)) + samples +
                b"\nendstream")
    kids = []
    for p in range(pages):
        lines = []
        for _ in range(40):
            lines.append(" ".join(rng.choice(WORDS) for _ in range(11)))
        text = "BT /F1 10 Tf 50 780 Td 12 TL (Page %d) Tj T* " % (p + 1)
        text += " ".join("(%s) '" % line for line in lines) + " ET"
        if p == 0:
            text = "q 400 0 0 400 100 200 cm /Im1 Do Q " + text
        content = text.encode()
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        resources = b"<< /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >>" % (font, image)
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 842] /Resources %s /Contents %d 0 R >>"
                        % (pages_obj, resources, stream)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--atrium", default=os.path.join(HERE, "..", "build", "release", "src", "app", "atrium"))
    ap.add_argument("--pages", type=int, default=400)
    ap.add_argument("--image-mb", type=float, default=48)
    ap.add_argument("--embed", action="store_true", help="embed the chunks through the fake upstream")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args()
    os.environ["ATRIUM_BIN"] = os.path.abspath(args.atrium)

    tmp = tempfile.mkdtemp(prefix="atrium-docbench-")
    path = os.path.join(tmp, "report.pdf")
    with open(path, "wb") as f:
        f.write(pdf_bytes(args.pages, int(args.image_mb * 1024 * 1024)))
    size = os.path.getsize(path)

    fake = None
    config = {"log": {"level": "warn", "access_log": False}, "jobs": {"poll_ms": 50},
              "security": {"trusted_proxies": ["127.0.0.1"]}}
    if args.embed:
        fake = FakeUpstream("--models", "fake-chat,fake-embed")
        config["llm"] = {"base_url": fake.base, "model": "fake-chat", "embedding_model": "fake-embed"}
    srv = AtriumServer(config=config).start()
    try:
        user = SecondbrainUser(srv)
        time.sleep(1)
        pid = srv.proc.pid
        idle = status_kb(pid, "VmRSS")
        t0 = time.monotonic()
        with open(path, "rb") as f:
            r = user.post("/upload", files={"file": ("report.pdf", f, "application/pdf")})
        t_upload = time.monotonic() - t0
        assert r.status_code == 202, r.text
        doc_id = r.json()["document"]["id"]
        deadline = time.monotonic() + args.timeout
        while True:
            doc = user.get(f"/document/{doc_id}").json()["document"]
            if doc["status"] != "processing" or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        t_ready = time.monotonic() - t0
        peak = status_kb(pid, "VmHWM")
        vectors = user.get("/health").json()["services"]["vectorDb"].get("vectors", "none")
        print(f"| {size / 1e6:.1f} MB PDF, {args.pages} pages{', embedded' if args.embed else ''} | value |")
        print("|---|---|")
        print(f"| final status | {doc['status']} {doc.get('error') or ''} |")
        print(f"| pages, chunks, language | {doc['metadata']['pageCount']}, {doc['chunkCount']}, "
              f"{doc['metadata']['language']} |")
        print(f"| vectors stored (health's vectorDb) | {vectors} |")
        print(f"| upload (sent -> 202) | {t_upload:.2f} s |")
        print(f"| processing (202 -> ready) | {t_ready - t_upload:.2f} s |")
        print(f"| Atrium RSS idle | {idle / 1024:.1f} MB |")
        print(f"| Atrium peak RSS (VmHWM) after | {peak / 1024:.1f} MB |")
    finally:
        srv.stop()
        srv.cleanup()
        if fake:
            fake.stop()
        os.remove(path)
        os.rmdir(tmp)


if __name__ == "__main__":
    main()
