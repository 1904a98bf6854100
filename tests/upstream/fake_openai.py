#!/usr/bin/python3
"""A protocol-faithful fake OpenAI-compatible upstream for Atrium's tests.

Runs on Debian's /usr/bin/python3 with Debian's python3-aiohttp and nothing else.
See README.md next to this file for every knob and the token-count rule.

Endpoints:
  GET  /v1/models                  model list
  POST /v1/chat/completions        deterministic "Echo: <last user message>" reply (or the
                                   first matching --reply-rules rule's), plain JSON or
                                   server-sent events ("stream": true)
  POST /v1/embeddings              deterministic unit vectors from a hash of the input
  POST /v1/images/generations      tiny deterministic PNG (b64_json or url)
  POST /v1/audio/transcriptions    multipart `file` (WAV) + `model`: the words pocketsphinx
                                   hears in it (when Debian's pocketsphinx is installed),
                                   else --transcript; json, text or verbose_json
  POST /v1/audio/speech            {model, input, voice, response_format wav|pcm, speed}:
                                   espeak-ng's speech of `input` (a tone without espeak-ng)
  GET  /health                     {"status": "ok"} (as llama.cpp's server answers)
  GET  /__fake/stats               counters and recent requests, for assertions
  POST /__fake/reset               clears the counters and recent requests
  POST /__fake/models              replaces the listed models and their extra fields
  GET  /__fake/images/{name}.png   images handed out as response_format "url"

Failure injection per request with the header X-Fake-Fail (default: --fail):
  none | refuse | hang | stall | cut | 429 | 500
"""

import argparse
import asyncio
import base64
import collections
import email.parser
import email.policy
import hashlib
import json
import logging
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import socket
import ssl
import struct
import sys
import time
import uuid
import wave
import zlib

from aiohttp import web

FAIL_MODES = ("none", "refuse", "hang", "stall", "cut", "429", "500")
MESSAGE_ROLES = ("system", "developer", "user", "assistant", "tool", "function")
POLL_S = 0.01  # how often a waiting handler checks whether its client went away


# ---------------------------------------------------------------- helpers


def error_body(message, type_="invalid_request_error", param=None, code=None):
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def error_response(status, message, type_="invalid_request_error", param=None, code=None,
                   headers=None):
    return web.json_response(error_body(message, type_, param, code), status=status,
                             headers=headers)


class ApiError(Exception):
    """Raised by validation; turned into an OpenAI-shaped error response."""

    def __init__(self, status, message, param=None, code=None, type_="invalid_request_error"):
        super().__init__(message)
        self.status, self.message, self.param, self.code, self.type_ = (
            status, message, param, code, type_)

    def response(self):
        return error_response(self.status, self.message, self.type_, self.param, self.code)


def parse_multipart(content_type, raw):
    """({field: text}, {field: (filename, content type, bytes)}) of a multipart/form-data
    body; ApiError 400 when it is not one."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(400, "Invalid Content-Type header (%s), expected multipart/form-data." % content_type)
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw)
    if not msg.is_multipart():
        raise ApiError(400, "Could not parse multipart form")
    fields, files = {}, {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        data = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files[name] = (part.get_filename(), part.get_content_type(), data)
        else:
            fields[name] = data.decode("utf-8", "replace")
    return fields, files


def words(text):
    """The token rule: a token is a whitespace-separated word."""
    return text.split() if isinstance(text, str) else []


def content_text(content):
    """Text of a message's content: a string, or the text parts of a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content
                        if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def load_reply_rules(path):
    """The --reply-rules file: a JSON list of rules (README.md, "Reply rules"), checked
    here so a bad file stops the fake at start with a clear message."""
    with open(path) as f:
        rules = json.load(f)
    if not isinstance(rules, list):
        raise ValueError("expected a JSON list of rules")
    checked = []
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict) or not isinstance(rule.get("reply"), str):
            raise ValueError("rule %d: expected an object with a string \"reply\"" % i)
        unknown = set(rule) - {"system_contains", "user_contains", "user_regex", "escape", "reply"}
        if unknown:
            raise ValueError("rule %d: unknown field(s) %s" % (i, ", ".join(sorted(unknown))))
        for key in ("system_contains", "user_contains", "user_regex"):
            if key in rule and not isinstance(rule[key], str):
                raise ValueError("rule %d: %s must be a string" % (i, key))
        if rule.get("escape", "none") not in ("none", "json"):
            raise ValueError("rule %d: escape must be \"none\" or \"json\"" % i)
        compiled = dict(rule)
        if "user_regex" in rule:
            compiled["user_regex"] = re.compile(rule["user_regex"], re.S)
        checked.append(compiled)
    return checked


def rule_reply(rules, system, last_user):
    """The reply text of the first rule that matches, or None (then the echo answers)."""
    for rule in rules:
        if "system_contains" in rule and rule["system_contains"] not in system:
            continue
        if "user_contains" in rule and rule["user_contains"] not in last_user:
            continue
        values = {"user": last_user}
        if "user_regex" in rule:
            m = rule["user_regex"].search(last_user)
            if m is None:
                continue
            for n, group in enumerate(m.groups(), 1):
                values[str(n)] = group or ""
        if rule.get("escape") == "json":
            values = {k: json.dumps(v)[1:-1] for k, v in values.items()}
        return re.sub(r"\{\{(user|[1-9])\}\}", lambda ph: values.get(ph.group(1), ""), rule["reply"])
    return None


def client_gone(request):
    transport = request.transport
    return transport is None or transport.is_closing()


async def sleep_watching(request, seconds):
    """Sleeps up to `seconds`; returns False as soon as the client has gone away."""
    deadline = time.monotonic() + max(0.0, seconds)
    while True:
        if client_gone(request):
            return False
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        await asyncio.sleep(min(POLL_S, left))


def drop_connection(request):
    """Closes the connection (after flushing what was written) and ends the handler
    without aiohttp writing anything more: aiohttp treats a cancelled handler as a
    premature disconnection and stays silent."""
    if request.transport is not None:
        request.transport.close()
    raise asyncio.CancelledError()


def png_bytes(seed, width=8, height=8):
    """A valid, tiny RGB PNG whose pixels derive from `seed` (bytes)."""
    digest = hashlib.sha256(seed).digest()
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type: none
        for x in range(width):
            i = (x + y * width) % 30
            row += digest[i:i + 3]
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def embedding_vector(model, item, dims):
    """A deterministic unit vector of `dims` floats from a hash of the input."""
    seed = (model + "\0" + json.dumps(item, sort_keys=True)).encode()
    values = []
    counter = 0
    while len(values) < dims:
        block = hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        for i in range(0, 32, 2):
            values.append(int.from_bytes(block[i:i + 2], "big") / 32767.5 - 1.0)
        counter += 1
    values = values[:dims]
    norm = sum(v * v for v in values) ** 0.5 or 1.0
    return [round(v / norm, 6) for v in values]


# ---------------------------------------------------------------- the fake


class Fake:
    def __init__(self, args):
        self.args = args
        self.models = [m.strip() for m in args.models.split(",") if m.strip()]
        self.audio_models = [m.strip() for m in args.audio_models.split(",") if m.strip()]
        self.model_info = {}  # id -> extra fields for /v1/models (OpenRouter's name, pricing, ...)
        self.reply_rules = load_reply_rules(args.reply_rules) if args.reply_rules else []
        if args.model_info:
            with open(args.model_info) as f:
                self.model_info = json.load(f)
        self.created = int(time.time())
        self.images = collections.OrderedDict()  # name -> png bytes, for "url" format
        self.base_url = None
        self.reset()

    # ------------------------------------------------------------ statistics

    def reset(self):
        self.next_id = 1
        self.stats = {
            "requests": 0,             # every request except /__fake/* and /health
            "by_path": {},
            "active_requests": 0,
            "streams_started": 0,
            "streams_completed": 0,    # ended with data: [DONE]
            "streams_disconnected": 0, # client went away before the end
            "streams_cut": 0,          # dropped on purpose (X-Fake-Fail: cut)
            "completions_disconnected": 0,  # non-streaming, client left while we waited
            "hangs_started": 0,
            "hangs_disconnected": 0,
            "refused": 0,
            "failures_injected": 0,
            "transcriptions": 0,
            "speeches": 0,
        }
        self.disconnects = collections.deque(maxlen=self.args.keep_requests)
        self.recent = collections.deque(maxlen=self.args.keep_requests)

    def record_disconnect(self, rec, kind, tokens_sent):
        now = time.time()
        rec["disconnected_at"] = now
        self.disconnects.append({"request_id": rec["id"], "kind": kind, "path": rec["path"],
                                 "at": now, "tokens_sent": tokens_sent})

    async def stats_handler(self, request):
        return web.json_response(dict(self.stats, disconnects=list(self.disconnects),
                                      recent_requests=list(self.recent),
                                      now=time.time()))

    async def reset_handler(self, request):
        self.reset()
        return web.json_response({"ok": True})

    async def health_handler(self, request):
        return web.json_response({"status": "ok"})

    async def image_file_handler(self, request):
        data = self.images.get(request.match_info["name"])
        if data is None:
            return error_response(404, "No such image.", code="not_found")
        return web.Response(body=data, content_type="image/png")

    async def not_found(self, request):
        await self.record(request)
        return error_response(404, "Invalid URL (%s %s)" % (request.method, request.path))

    # ------------------------------------------------------------ common gate

    async def record(self, request):
        raw = await request.read()
        body, text = None, None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                text = raw[:4096].decode("utf-8", "replace")
        rec = {"id": self.next_id, "at": time.time(), "method": request.method,
               "path": request.path, "query": request.query_string,
               "headers": dict(request.headers), "body": body, "raw": text}
        self.next_id += 1
        self.stats["requests"] += 1
        self.stats["by_path"][request.path] = self.stats["by_path"].get(request.path, 0) + 1
        self.recent.append(rec)
        return rec, raw

    def knobs(self, request):
        h = request.headers
        fail = h.get("X-Fake-Fail", self.args.fail).strip().lower() or "none"
        if fail not in FAIL_MODES:
            raise ApiError(400, "Unknown X-Fake-Fail %r; one of %s." % (fail, ", ".join(FAIL_MODES)))
        try:
            delay = float(h.get("X-Fake-Token-Delay-Ms", self.args.token_delay_ms)) / 1000.0
            first = float(h.get("X-Fake-First-Token-Delay-Ms",
                                self.args.first_token_delay_ms)) / 1000.0
            cut_after = int(h.get("X-Fake-Cut-After", self.args.cut_after))
            retry_after = h.get("X-Fake-Retry-After", str(self.args.retry_after))
        except ValueError:
            raise ApiError(400, "Bad X-Fake-* header value.")
        return {"fail": fail, "delay": delay, "first": first, "cut_after": max(0, cut_after),
                "retry_after": retry_after}

    async def gate(self, request, handler, json_body=True):
        """Auth, recording, failure injection, JSON parsing; then the endpoint."""
        rec, raw = await self.record(request)
        request["raw_body"] = raw
        self.stats["active_requests"] += 1
        try:
            if self.args.api_key is not None:
                auth = request.headers.get("Authorization", "")
                if not auth.startswith("Bearer ") or not auth[7:].strip():
                    return error_response(
                        401, "You didn't provide an API key. You need to provide your API key "
                        "in an Authorization header using Bearer auth "
                        "(i.e. Authorization: Bearer YOUR_KEY).")
                if auth[7:].strip() != self.args.api_key:
                    return error_response(401, "Incorrect API key provided.",
                                          code="invalid_api_key")
            try:
                knobs = self.knobs(request)
            except ApiError as e:
                return e.response()
            fail = knobs["fail"]
            if fail != "none":
                self.stats["failures_injected"] += 1
            if fail == "refuse":
                self.stats["refused"] += 1
                drop_connection(request)
            if fail == "hang":
                self.stats["hangs_started"] += 1
                while not client_gone(request):
                    await asyncio.sleep(POLL_S)
                self.stats["hangs_disconnected"] += 1
                self.record_disconnect(rec, "hang", 0)
                raise asyncio.CancelledError()
            if fail == "429":
                return error_response(
                    429, "Rate limit reached for requests. Please try again later.",
                    type_="requests", code="rate_limit_exceeded",
                    headers={"Retry-After": knobs["retry_after"]})
            if fail == "500":
                return error_response(
                    500, "The server had an error while processing your request. "
                    "Sorry about that!", type_="server_error")
            body = None
            if request.method == "POST" and json_body:
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                if not isinstance(body, dict):
                    return error_response(
                        400, "We could not parse the JSON body of your request. The body "
                        "must be a JSON object.")
            try:
                resp = await handler(request, body, knobs, rec)
            except ApiError as e:
                return e.response()
            if fail in ("cut", "stall") and type(resp) is web.Response and resp.status == 200:
                await self.partial_body(request, resp, fail, rec)
            return resp
        finally:
            self.stats["active_requests"] -= 1

    async def partial_body(self, request, full, fail, rec):
        """'cut'/'stall' for a plain JSON answer: announce the full Content-Length, send
        half of the body, then drop the connection ('cut') or go silent ('stall')."""
        data = full.body
        resp = web.StreamResponse(status=full.status, headers={"Content-Type": full.content_type})
        resp.content_length = len(data)
        await resp.prepare(request)
        await resp.write(data[:len(data) // 2])
        if fail == "cut":
            drop_connection(request)
        while not client_gone(request):
            await asyncio.sleep(POLL_S)
        self.record_disconnect(rec, "stall", 0)
        raise asyncio.CancelledError()

    def route(self, handler, json_body=True):
        async def wrapped(request):
            return await self.gate(request, handler, json_body)
        return wrapped

    def check_model(self, body, required=True):
        model = body.get("model")
        if model is None:
            if required:
                raise ApiError(400, "you must provide a model parameter", param="model")
            return None
        if not isinstance(model, str):
            raise ApiError(400, "Invalid type for 'model': expected a string.", param="model",
                           code="invalid_type")
        if not self.args.any_model and model not in self.models:
            raise ApiError(404, "The model `%s` does not exist or you do not have access to it."
                           % model, code="model_not_found")
        return model

    # ------------------------------------------------------------ endpoints

    def model_entry(self, m):
        entry = {"id": m, "object": "model", "created": self.created, "owned_by": "atrium-fake"}
        for key, value in self.model_info.get(m, {}).items():
            if value is None:
                entry.pop(key, None)
            else:
                entry[key] = value
        return entry

    async def models_handler(self, request, body, knobs, rec):
        return web.json_response({"object": "list", "data": [self.model_entry(m) for m in self.models]})

    async def set_models_handler(self, request):
        try:
            body = await request.json()
            models = body["models"]
            info = body.get("info", {})
            if not isinstance(models, list) or not all(isinstance(m, str) and m for m in models) \
                    or not isinstance(info, dict):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "expected {\"models\": [ids], \"info\": {id: fields}}"},
                                     status=400)
        self.models = models
        self.model_info = info
        return web.json_response({"ok": True, "models": self.models})

    async def chat_handler(self, request, body, knobs, rec):
        model = self.check_model(body)
        messages = body.get("messages")
        if messages is None:
            raise ApiError(400, "Missing required parameter: 'messages'.", param="messages",
                           code="missing_required_parameter")
        if not isinstance(messages, list) or not messages:
            raise ApiError(400, "Invalid 'messages': expected a non-empty array.",
                           param="messages", code="invalid_value")
        for i, m in enumerate(messages):
            if not isinstance(m, dict) or m.get("role") not in MESSAGE_ROLES:
                raise ApiError(400, "Invalid 'messages[%d]': each message needs a valid role."
                               % i, param="messages[%d].role" % i, code="invalid_value")
            if not isinstance(m.get("content"), (str, list, type(None))):
                raise ApiError(400, "Invalid 'messages[%d].content'." % i,
                               param="messages[%d].content" % i, code="invalid_type")
        limit = body.get("max_completion_tokens", body.get("max_tokens"))
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)
                                  or limit < 1):
            raise ApiError(400, "Invalid 'max_tokens': expected an integer >= 1.",
                           param="max_tokens", code="invalid_value")
        stream = body.get("stream", False)
        if not isinstance(stream, bool):
            raise ApiError(400, "Invalid type for 'stream': expected a boolean.",
                           param="stream", code="invalid_type")
        stream_options = body.get("stream_options")
        if stream_options is not None:
            if not stream:
                raise ApiError(400, "The 'stream_options' parameter is only allowed when "
                               "'stream' is enabled.", param="stream_options",
                               code="invalid_value")
            if not isinstance(stream_options, dict):
                raise ApiError(400, "Invalid type for 'stream_options': expected an object.",
                               param="stream_options", code="invalid_type")
        include_usage = bool((stream_options or {}).get("include_usage"))

        last_user = ""
        for m in messages:
            if m.get("role") == "user":
                last_user = content_text(m.get("content"))
        system = "\n".join(content_text(m.get("content")) for m in messages
                           if m.get("role") in ("system", "developer"))
        ruled = rule_reply(self.reply_rules, system, last_user)
        reply = words(ruled) if ruled is not None else ["Echo:"] + words(last_user)
        finish = "stop"
        if limit is not None and len(reply) > limit:
            reply, finish = reply[:limit], "length"
        prompt_tokens = sum(len(words(content_text(m.get("content")))) for m in messages)
        usage = {"prompt_tokens": prompt_tokens, "completion_tokens": len(reply),
                 "total_tokens": prompt_tokens + len(reply)}
        cid = "chatcmpl-" + uuid.uuid4().hex[:24]
        created = int(time.time())
        fail = knobs["fail"]

        if not stream:
            alive = await sleep_watching(request, knobs["first"] + knobs["delay"] * len(reply))
            if not alive:
                self.stats["completions_disconnected"] += 1
                self.record_disconnect(rec, "completion", 0)
                raise asyncio.CancelledError()
            payload = {
                "id": cid, "object": "chat.completion", "created": created, "model": model,
                "system_fingerprint": "fp_atrium_fake",
                "choices": [{"index": 0,
                             "message": {"role": "assistant", "content": " ".join(reply)},
                             "logprobs": None, "finish_reason": finish}],
                "usage": usage}
            return web.json_response(payload)

        # ---- streaming
        def chunk(delta, finish_reason=None):
            c = {"id": cid, "object": "chat.completion.chunk", "created": created,
                 "model": model, "system_fingerprint": "fp_atrium_fake",
                 "choices": [{"index": 0, "delta": delta, "logprobs": None,
                              "finish_reason": finish_reason}]}
            if include_usage:
                c["usage"] = None
            return c

        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream; charset=utf-8",
                                           "Cache-Control": "no-cache"})
        self.stats["streams_started"] += 1
        sent = 0
        cutting = False

        async def send(obj):
            data = obj if isinstance(obj, str) else json.dumps(obj)
            await resp.write(("data: %s\n\n" % data).encode())

        try:
            await resp.prepare(request)
            await send(chunk({"role": "assistant", "content": ""}))
            if not await sleep_watching(request, knobs["first"]):
                raise ConnectionResetError()
            for i, word in enumerate(reply):
                if fail in ("cut", "stall") and sent >= knobs["cut_after"]:
                    break
                if i and not await sleep_watching(request, knobs["delay"]):
                    raise ConnectionResetError()
                await send(chunk({"content": word if i == 0 else " " + word}))
                sent += 1
            if fail == "cut":
                self.stats["streams_cut"] += 1
                cutting = True
                drop_connection(request)
            if fail == "stall":
                while not client_gone(request):
                    await asyncio.sleep(POLL_S)
                raise ConnectionResetError()
            await send(chunk({}, finish))
            if include_usage:
                await send({"id": cid, "object": "chat.completion.chunk", "created": created,
                            "model": model, "system_fingerprint": "fp_atrium_fake",
                            "choices": [], "usage": usage})
            await send("[DONE]")
            await resp.write_eof()
        except (ConnectionError, asyncio.CancelledError):
            if cutting:
                raise
            self.stats["streams_disconnected"] += 1
            self.record_disconnect(rec, "stream", sent)
            raise asyncio.CancelledError()
        self.stats["streams_completed"] += 1
        return resp

    async def embeddings_handler(self, request, body, knobs, rec):
        model = self.check_model(body)
        if "input" not in body:
            raise ApiError(400, "Missing required parameter: 'input'.", param="input",
                           code="missing_required_parameter")
        inp = body["input"]
        if isinstance(inp, str) or (isinstance(inp, list) and inp
                                    and all(isinstance(t, int) for t in inp)):
            items = [inp]
        elif isinstance(inp, list) and inp and all(
                isinstance(t, str) or (isinstance(t, list) and t
                                       and all(isinstance(x, int) for x in t))
                for t in inp):
            items = inp
        else:
            raise ApiError(400, "Invalid 'input': expected a string, an array of strings, "
                           "or an array of token arrays.", param="input", code="invalid_value")
        dims = body.get("dimensions", self.args.embedding_dims)
        if isinstance(dims, bool) or not isinstance(dims, int) or dims < 1 or dims > 4096:
            raise ApiError(400, "Invalid 'dimensions'.", param="dimensions",
                           code="invalid_value")
        fmt = body.get("encoding_format", "float")
        if fmt not in ("float", "base64"):
            raise ApiError(400, "Invalid 'encoding_format': expected 'float' or 'base64'.",
                           param="encoding_format", code="invalid_value")
        data = []
        tokens = 0
        for i, item in enumerate(items):
            vec = embedding_vector(model, item, dims)
            tokens += len(words(item)) if isinstance(item, str) else len(item)
            emb = (base64.b64encode(struct.pack("<%df" % dims, *vec)).decode()
                   if fmt == "base64" else vec)
            data.append({"object": "embedding", "index": i, "embedding": emb})
        if not await sleep_watching(request, knobs["first"]):
            raise asyncio.CancelledError()
        return web.json_response({"object": "list", "data": data, "model": model,
                                  "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    async def images_handler(self, request, body, knobs, rec):
        self.check_model(body, required=False)
        prompt = body.get("prompt")
        if prompt is None:
            raise ApiError(400, "Missing required parameter: 'prompt'.", param="prompt",
                           code="missing_required_parameter")
        if not isinstance(prompt, str) or not prompt:
            raise ApiError(400, "Invalid 'prompt': expected a non-empty string.",
                           param="prompt", code="invalid_value")
        n = body.get("n", 1)
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 10:
            raise ApiError(400, "Invalid 'n': expected an integer from 1 to 10.", param="n",
                           code="invalid_value")
        fmt = body.get("response_format") or "b64_json"
        if fmt not in ("b64_json", "url"):
            raise ApiError(400, "Invalid 'response_format': expected 'url' or 'b64_json'.",
                           param="response_format", code="invalid_value")
        data = []
        for i in range(n):
            png = png_bytes(("%s\0%d" % (prompt, i)).encode())
            if fmt == "url":
                name = hashlib.sha256(png).hexdigest()[:32]
                self.images[name] = png
                while len(self.images) > 256:
                    self.images.popitem(last=False)
                data.append({"url": "%s/__fake/images/%s.png" % (self.base_url(request), name)})
            else:
                data.append({"b64_json": base64.b64encode(png).decode()})
        if not await sleep_watching(request, knobs["first"]):
            raise asyncio.CancelledError()
        return web.json_response({"created": int(time.time()), "data": data})

    # ------------------------------------------------------------ audio

    def check_audio_model(self, model):
        if not model:
            raise ApiError(400, "you must provide a model parameter", param="model")
        if not self.args.any_model and model not in self.audio_models:
            raise ApiError(404, "The model `%s` does not exist or you do not have access to it."
                           % model, code="model_not_found")

    def recognise(self, wav_bytes, info):
        """The words in a 16 kHz mono 16-bit WAV, by pocketsphinx_continuous."""
        if self.args.transcript is not None:
            return self.args.transcript
        tool = shutil.which("pocketsphinx_continuous")
        if tool is None or info != (1, 2, 16000):
            return ""
        with tempfile.NamedTemporaryFile(suffix=".wav") as f:
            f.write(wav_bytes)
            f.flush()
            argv = [tool, "-infile", f.name, "-logfn", "/dev/null"]
            if self.args.grammar:
                argv += ["-jsgf", self.args.grammar]
            out = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        return " ".join(line.strip() for line in out.stdout.splitlines() if line.strip())

    async def transcriptions_handler(self, request, body, knobs, rec):
        form, files = parse_multipart(request.headers.get("Content-Type", ""), request["raw_body"])
        if "file" not in files:
            raise ApiError(400, "you must provide a file parameter", param="file")
        model = form.get("model")
        self.check_audio_model(model)
        filename, content_type, data = files["file"]
        try:
            with wave.open(io.BytesIO(data)) as w:
                info = (w.getnchannels(), w.getsampwidth(), w.getframerate())
                seconds = w.getnframes() / float(w.getframerate())
        except (wave.Error, EOFError, ZeroDivisionError):
            raise ApiError(400, "Invalid file format. Supported formats: ['wav']", param="file")
        fmt = form.get("response_format") or "json"
        if fmt not in ("json", "text", "verbose_json"):
            raise ApiError(400, "Invalid 'response_format': this fake answers json, text or verbose_json.",
                           param="response_format")
        language = form.get("language") or "en"
        rec["audio"] = {"bytes": len(data), "channels": info[0], "sample_width": info[1], "rate": info[2],
                        "seconds": round(seconds, 3), "model": model, "language": language,
                        "prompt": form.get("prompt"), "filename": filename,
                        "content_type": content_type}
        self.stats["transcriptions"] += 1
        text = await asyncio.get_running_loop().run_in_executor(None, self.recognise, data, info)
        if not await sleep_watching(request, knobs["first"]):
            raise asyncio.CancelledError()
        if fmt == "text":
            return web.Response(text=text + "\n", content_type="text/plain")
        if fmt == "verbose_json":
            return web.json_response({"task": "transcribe", "language": language, "duration": seconds,
                                      "text": text, "segments": []})
        return web.json_response({"text": text})

    VOICES = ("alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer", "verse")

    def speak(self, text, voice, speed):
        """(rate, mono 16-bit samples as bytes): espeak-ng's voice, else a tone."""
        tool = shutil.which("espeak-ng")
        if tool is not None:
            out = subprocess.run([tool, "--stdout", "-v", "en-us", "-s", str(int(175 * speed)), text],
                                 capture_output=True, timeout=60)
            if out.returncode == 0:
                with wave.open(io.BytesIO(out.stdout)) as w:
                    return w.getframerate(), w.readframes(w.getnframes())
        rate = 24000
        n = int(rate * 0.06 * len(text) / speed)
        freq = 200 + 20 * self.VOICES.index(voice)
        import math
        frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / rate))) for i in range(n))
        return rate, frames

    async def speech_handler(self, request, body, knobs, rec):
        self.check_audio_model(body.get("model"))
        text = body.get("input")
        if not isinstance(text, str) or not text:
            raise ApiError(400, "Missing required parameter: 'input'.", param="input",
                           code="missing_required_parameter")
        if len(text) > 4096:
            raise ApiError(400, "Invalid 'input': string too long. Expected a string with maximum length 4096.",
                           param="input", code="string_above_max_length")
        voice = body.get("voice")
        if voice not in self.VOICES:
            raise ApiError(400, "Invalid 'voice': expected one of %s." % ", ".join(self.VOICES), param="voice")
        fmt = body.get("response_format") or "mp3"
        if fmt not in ("wav", "pcm"):
            raise ApiError(400, "Invalid 'response_format': this fake serves wav and pcm.",
                           param="response_format")
        speed = body.get("speed", 1.0)
        if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0.25 <= speed <= 4.0:
            raise ApiError(400, "Invalid 'speed': expected a number from 0.25 to 4.0.", param="speed")
        self.stats["speeches"] += 1
        rate, frames = await asyncio.get_running_loop().run_in_executor(None, self.speak, text, voice, speed)
        if not await sleep_watching(request, knobs["first"]):
            raise asyncio.CancelledError()
        if fmt == "pcm":
            return web.Response(body=frames, content_type="audio/pcm")
        out = io.BytesIO()
        with wave.open(out, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(frames)
        return web.Response(body=out.getvalue(), content_type="audio/wav")

    # ------------------------------------------------------------ app

    def app(self):
        app = web.Application(client_max_size=64 * 1024 * 1024)
        r = app.router
        r.add_get("/v1/models", self.route(self.models_handler))
        r.add_post("/v1/chat/completions", self.route(self.chat_handler))
        r.add_post("/v1/embeddings", self.route(self.embeddings_handler))
        r.add_post("/v1/images/generations", self.route(self.images_handler))
        r.add_post("/v1/audio/transcriptions", self.route(self.transcriptions_handler, json_body=False))
        r.add_post("/v1/audio/speech", self.route(self.speech_handler))
        r.add_get("/health", self.health_handler)
        r.add_get("/__fake/stats", self.stats_handler)
        r.add_post("/__fake/reset", self.reset_handler)
        r.add_post("/__fake/models", self.set_models_handler)
        r.add_get("/__fake/images/{name}.png", self.image_file_handler)
        r.add_route("*", "/{tail:.*}", self.not_found)
        return app


# ---------------------------------------------------------------- main


def parse_args(argv):
    p = argparse.ArgumentParser(description="Fake OpenAI-compatible upstream for tests.")
    p.add_argument("--port", type=int, required=True, help="port to listen on; 0 picks a free one")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--ready-file", help="written atomically as {\"port\": N} once listening")
    p.add_argument("--models", default="fake-chat,fake-embed,fake-image",
                   help="comma-separated model ids served by every endpoint")
    p.add_argument("--model-info", help="a JSON file {id: {field: value}} merged into /v1/models entries"
                   " (a null value removes the field)")
    p.add_argument("--any-model", action="store_true",
                   help="accept any model id instead of answering 404 model_not_found")
    p.add_argument("--api-key", help="when set, require Authorization: Bearer <key>")
    p.add_argument("--token-delay-ms", type=float, default=0.0,
                   help="delay between streamed tokens (and per token when not streaming)")
    p.add_argument("--first-token-delay-ms", type=float, default=0.0,
                   help="extra delay before the first token (time to first token)")
    p.add_argument("--fail", default="none", choices=FAIL_MODES,
                   help="failure injected when a request has no X-Fake-Fail header")
    p.add_argument("--cut-after", type=int, default=2,
                   help="tokens streamed before 'cut' drops (or 'stall' freezes) the stream")
    p.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds for '429'")
    p.add_argument("--embedding-dims", type=int, default=16)
    p.add_argument("--audio-models", default="fake-whisper,fake-tts,whisper-1,tts-1",
                   help="comma-separated models the audio endpoints accept")
    p.add_argument("--grammar", help="a JSGF grammar for pocketsphinx_continuous (default: its language model)")
    p.add_argument("--transcript", help="answer every transcription with this text "
                   "(default: what pocketsphinx hears, when installed)")
    p.add_argument("--reply-rules", help="a JSON file: a list of {system_contains?, user_contains?, user_regex?, "
                   "escape?, reply} rules; the first that matches a chat request gives its reply")
    p.add_argument("--keep-requests", type=int, default=200,
                   help="how many recent requests and disconnects /__fake/stats keeps")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    p.add_argument("--tls-cert", help="serve https with this PEM certificate (chain)")
    p.add_argument("--tls-key", help="the PEM private key for --tls-cert")
    return p.parse_args(argv)


async def serve(args):
    fake = Fake(args)
    runner = web.AppRunner(fake.app(), access_log=None if not args.verbose else
                           logging.getLogger("aiohttp.access"))
    await runner.setup()
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    port = sock.getsockname()[1]
    host_for_url = "[%s]" % args.host if ":" in args.host else args.host
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    scheme = "https" if tls else "http"
    fake.base_url = lambda request: "%s://%s:%d" % (scheme, host_for_url, port)
    site = web.SockSite(runner, sock, shutdown_timeout=0.5, ssl_context=tls)
    await site.start()
    if args.ready_file:
        tmp = "%s.tmp.%d" % (args.ready_file, os.getpid())
        with open(tmp, "w") as f:
            json.dump({"port": port}, f)
        os.replace(tmp, args.ready_file)
    print("fake_openai listening on %s:%d" % (args.host, port), file=sys.stderr, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.reply_rules:
        try:
            load_reply_rules(args.reply_rules)
        except (OSError, ValueError) as e:
            print("fake_openai: --reply-rules %s: %s" % (args.reply_rules, e), file=sys.stderr)
            return 2
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        stream=sys.stderr)
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
