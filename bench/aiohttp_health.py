#!/usr/bin/python3
"""Baseline server for bench/run.sh: stock aiohttp answering GET /health with fixed JSON.

Usage: /usr/bin/python3 bench/aiohttp_health.py PORT [BODY_FILE]

Listens on 127.0.0.1:PORT only. The body is read once from BODY_FILE (run.sh passes
the exact bytes Atrium's /health returned) or, without it, a built-in sample. Access
log off, default event loop (no uvloop), one process: an ordinary aiohttp deployment.
"""

import sys

from aiohttp import web

DEFAULT_BODY = (
    b'{"status":"healthy","server_time":"2025-01-01T00:00:00Z",'
    b'"uptime_seconds":1,"version":"0.1.0"}'
)


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print("usage: aiohttp_health.py PORT [BODY_FILE]", file=sys.stderr)
        return 2
    port = int(sys.argv[1])
    body = DEFAULT_BODY
    if len(sys.argv) == 3:
        with open(sys.argv[2], "rb") as f:
            body = f.read()

    async def health(_request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/health", health)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
