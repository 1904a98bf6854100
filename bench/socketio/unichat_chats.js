// Load clients for bench/socketio/unichat_chat_bench.py: one socket.io-client socket per
// user (WebSocket transport, 127.0.0.1 only), each sending one chat message at "go".
//   node unichat_chats.js <url> <tokens.json> <config ids.json> <rounds>
//   node unichat_chats.js --direct <upstream base url> <streams> <rounds>
//       the baseline: the same streams straight from the upstream (SSE over fetch)
// Prints "connected <n>" once every socket heard `authenticated`, waits for "go" on
// stdin, then every socket runs <rounds> send_message turns one after the other and the
// process prints one JSON line: chunks received, turns completed or failed, the time
// from "go" to the last message_complete, and each chunk's gap after the one before it
// (the first chunk's gap is from message_start).
"use strict";

const fs = require("fs");
const path = require("path");
const readline = require("readline");
const { io } = require(path.join(__dirname, "..", "..", "tests", "node", "node_modules", "socket.io-client"));

const MESSAGE = Array.from({ length: 49 }, (_, i) => "w" + i).join(" ");  // 50-token answers
if (process.argv[2] === "--direct") {
  direct(process.argv[3], Number(process.argv[4]), Number(process.argv[5] || 1));
  return;
}
const [url, tokensFile, configsFile, roundsText] = process.argv.slice(2);
if (!url.startsWith("http://127.0.0.1:")) throw new Error("load only on 127.0.0.1");
const tokens = JSON.parse(fs.readFileSync(tokensFile, "utf8"));
const configs = JSON.parse(fs.readFileSync(configsFile, "utf8"));
const rounds = Number(roundsText || 1);

const sockets = [];
let connected = 0;
let chunks = 0;
let completed = 0;
let failed = 0;
let goAt = 0;
let lastDone = 0;
const gaps = [];
const turns = [];  // send_message -> message_complete, ms

function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

function report() {
  for (const s of sockets) s.close();
  // Exit once the (large) line is flushed: a pipe is written asynchronously.
  process.stdout.write(JSON.stringify({ chunks, completed, failed, elapsed_ms: lastDone - goAt, gaps, turns }) + "\n",
                       () => process.exit(0));
}

function turnsLeft() {
  return sockets.length * rounds - completed - failed;
}

tokens.forEach((token, i) => {
  const s = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, timeout: 60000 });
  s.roundsDone = 0;
  s.last = 0;
  s.once("authenticated", () => {
    connected += 1;
    if (connected === tokens.length) process.stdout.write(`connected ${connected}\n`);
  });
  s.on("connect_error", (e) => {
    process.stderr.write("connect_error " + e.message + "\n");
    process.exit(1);
  });
  s.on("message_start", () => {
    s.last = nowMs();
  });
  s.on("message_chunk", () => {
    const t = nowMs();
    gaps.push(t - s.last);
    s.last = t;
    chunks += 1;
  });
  const next = () => {
    s.roundsDone += 1;
    if (s.roundsDone < rounds) send(s, i);
    if (turnsLeft() === 0) report();
  };
  s.on("message_complete", () => {
    completed += 1;
    lastDone = nowMs();
    turns.push(lastDone - s.sentAt);
    next();
  });
  s.on("message_error", (e) => {
    failed += 1;
    process.stderr.write("message_error " + JSON.stringify(e) + "\n");
    next();
  });
  sockets.push(s);
});

function send(s, i) {
  s.sentAt = nowMs();
  s.emit("send_message", { config_id: configs[i], message: MESSAGE });
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() !== "go") return;
  goAt = nowMs();
  sockets.forEach((s, i) => send(s, i));
});
setTimeout(() => {
  process.stderr.write(`timeout: ${turnsLeft()} turns left\n`);
  report();
}, 600000).unref();

// The same load straight from the upstream: <streams> concurrent streamed completions,
// <rounds> each one after the other; the same counters.
function direct(base, streams, rounds) {
  if (!base.startsWith("http://127.0.0.1:")) throw new Error("load only on 127.0.0.1");
  const gapsDirect = [];
  const turnsDirect = [];
  let chunksDirect = 0;
  let done = 0;
  let bad = 0;
  const one = async () => {
    const sent = nowMs();
    const r = await fetch(base + "/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "fake-chat", stream: true, messages: [{ role: "user", content: MESSAGE }] }),
    });
    if (r.status !== 200) throw new Error("status " + r.status);
    let last = sent;
    let text = "";
    const decoder = new TextDecoder();
    for await (const piece of r.body) {
      text += decoder.decode(piece, { stream: true });
      let end;
      while ((end = text.indexOf("\n\n")) >= 0) {
        const frame = text.slice(0, end);
        text = text.slice(end + 2);
        if (!frame.startsWith("data: ") || frame === "data: [DONE]") continue;
        const delta = JSON.parse(frame.slice(6)).choices[0].delta;
        if (delta.role !== undefined && delta.content === undefined) {
          last = nowMs();  // like message_start: the upstream accepted the request
          continue;
        }
        if (!delta.content) continue;
        const t = nowMs();
        gapsDirect.push(t - last);
        last = t;
        chunksDirect += 1;
      }
    }
  };
  const started = nowMs();
  const lane = async () => {
    for (let i = 0; i < rounds; i++) {
      try {
        const t0 = nowMs();
        await one();
        turnsDirect.push(nowMs() - t0);
        done += 1;
      } catch (e) {
        bad += 1;
      }
    }
  };
  Promise.all(Array.from({ length: streams }, lane)).then(() => {
    process.stdout.write(JSON.stringify({ chunks: chunksDirect, completed: done, failed: bad,
                                          elapsed_ms: nowMs() - started, gaps: gapsDirect, turns: turnsDirect }) + "\n",
                         () => process.exit(0));
  });
}
