// Drives unichat's Socket.IO chat and arena events with the official socket.io-client
// (tests/node), as uni-chat-api.md's "Complete Chat Flow" and "Arena Comparison" do.
// Usage: node unichat_chat.js <scenario> <json options>
// Prints one JSON line: every event each socket heard, in order, with its payload.
"use strict";

const path = require("path");
const { io } = require(path.join(__dirname, "..", "..", "node", "node_modules", "socket.io-client"));

const [scenario, rawOptions] = process.argv.slice(2);
const opt = JSON.parse(rawOptions || "{}");

const CHAT_EVENTS = [
  "authenticated", "conversation_created", "message_saved", "message_start", "message_chunk", "message_complete",
  "message_error", "title_updated", "generation_stopped", "error",
];
const ARENA_EVENTS = [
  "arena_session_created", "arena_user_message", "arena_message_start", "arena_message_chunk",
  "arena_message_complete", "arena_message_error", "arena_generation_stopped", "error",
];

const sockets = [];

function connect(token, names, url) {
  return new Promise((resolve, reject) => {
    const s = io(url || opt.url, { auth: { token }, reconnection: false, timeout: 5000, transports: opt.transports });
    s.heard = [];
    for (const name of names) s.on(name, (data) => s.heard.push([name, data]));
    s.on("connect_error", (e) => reject(new Error("connect_error: " + e.message)));
    // `authenticated` follows the CONNECT answer: the socket is in its user's room then.
    s.once("authenticated", () => resolve(s));
    sockets.push(s);
  });
}

function finish(result) {
  for (const s of sockets) s.close();
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
}

function waitFor(s, predicate, ms, what) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const hit = s.heard.find(predicate);
      if (hit) return resolve(hit);
      if (Date.now() - started > ms) return reject(new Error("timeout waiting for " + what));
      setTimeout(tick, 10);
    };
    tick();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ackOf = (s, event, payload) => new Promise((resolve) => s.timeout(5000).emit(event, payload, (err, r) => resolve(err ? { ack_error: err.message } : r)));

const scenarios = {
  // send_message on one of the user's sockets; every socket of the user (and none of
  // another user's) hears the turn. Optionally waits for the background title.
  async chat() {
    const names = CHAT_EVENTS;
    const a1 = await connect(opt.token, names);
    const a2 = await connect(opt.token, names);
    const other = opt.other_token ? await connect(opt.other_token, names) : null;
    const ack = await ackOf(a1, "send_message", opt.payload);
    const end = (e) => e[0] === "message_complete" || e[0] === "message_error";
    try {
      await waitFor(a1, end, 10000, "message_complete");
      await waitFor(a2, end, 10000, "message_complete on the second socket");
      if (opt.wait_title) await waitFor(a1, (e) => e[0] === "title_updated", 5000, "title_updated");
    } catch (e) {
      return finish({ error: e.message, ack, first: a1.heard, second: a2.heard });
    }
    await sleep(opt.settle_ms || 200);
    finish({ ack, first: a1.heard, second: a2.heard, other: other ? other.heard : null });
  },
  // Mistakes go to the sending socket only.
  async refused() {
    const a1 = await connect(opt.token, CHAT_EVENTS);
    const a2 = await connect(opt.token, CHAT_EVENTS);
    const acks = [];
    for (const [event, payload] of opt.requests) acks.push(await ackOf(a1, event, payload));
    await sleep(300);
    finish({ acks, first: a1.heard, second: a2.heard });
  },
  // stop_generation after the first chunk: the answer so far is kept, nothing follows.
  async stop() {
    const s = await connect(opt.token, CHAT_EVENTS);
    const ack = await ackOf(s, opt.event || "send_message", opt.payload);
    let stopAck = null;
    try {
      const chunk = await waitFor(s, (e) => e[0] === "message_chunk", 10000, "message_chunk");
      stopAck = await ackOf(s, "stop_generation", { message_id: chunk[1].message_id });
      await waitFor(s, (e) => e[0] === "generation_stopped", 10000, "generation_stopped");
    } catch (e) {
      return finish({ error: e.message, ack, stopAck, heard: s.heard });
    }
    const count = s.heard.length;
    await sleep(opt.quiet_ms || 600);
    const late = s.heard.slice(count);
    const again = await ackOf(s, "stop_generation", { message_id: ack.message_id });
    finish({ ack, stopAck, again, heard: s.heard.slice(0, count), late });
  },
  // stop_generation sent on a socket of another instance (opt.stop_url) for the turn a
  // socket on opt.url runs: the turn stops there all the same.
  async stop_elsewhere() {
    const s = await connect(opt.token, CHAT_EVENTS);
    const t = await connect(opt.token, CHAT_EVENTS, opt.stop_url);
    const ack = await ackOf(s, "send_message", opt.payload);
    let stopAck = null;
    try {
      const chunk = await waitFor(s, (e) => e[0] === "message_chunk", 10000, "message_chunk");
      stopAck = await ackOf(t, "stop_generation", { message_id: chunk[1].message_id });
      await waitFor(s, (e) => e[0] === "generation_stopped", 10000, "generation_stopped");
    } catch (e) {
      return finish({ error: e.message, ack, stopAck, heard: s.heard, elsewhere: t.heard });
    }
    const count = s.heard.length;
    await sleep(opt.quiet_ms || 600);
    const late = s.heard.slice(count);
    const again = await ackOf(t, "stop_generation", { message_id: ack.message_id });
    finish({ ack, stopAck, again, heard: s.heard.slice(0, count), elsewhere: t.heard, late });
  },
  // arena_send_message: every config streams; done when each has completed or failed.
  async arena() {
    const s = await connect(opt.token, ARENA_EVENTS);
    const other = opt.other_token ? await connect(opt.other_token, ARENA_EVENTS) : null;
    const ack = await ackOf(s, "arena_send_message", opt.payload);
    const want = opt.expect_answers;
    const ended = () => s.heard.filter((e) => e[0] === "arena_message_complete" || e[0] === "arena_message_error").length;
    const started = Date.now();
    while (ended() < want && Date.now() - started < 15000) await sleep(20);
    if (ended() < want) return finish({ error: "timeout: " + ended() + " of " + want, ack, heard: s.heard });
    await sleep(200);
    finish({ ack, heard: s.heard, other: other ? other.heard : null });
  },
  // arena_stop_generation after the first chunk: every config stops and keeps its text.
  async arena_stop() {
    const s = await connect(opt.token, ARENA_EVENTS);
    const ack = await ackOf(s, "arena_send_message", opt.payload);
    let stopAck = null;
    try {
      await waitFor(s, (e) => e[0] === "arena_message_chunk", 10000, "arena_message_chunk");
      stopAck = await ackOf(s, "arena_stop_generation", { session_id: ack.session_id });
      await waitFor(s, (e) => e[0] === "arena_generation_stopped", 10000, "arena_generation_stopped");
    } catch (e) {
      return finish({ error: e.message, ack, stopAck, heard: s.heard });
    }
    const count = s.heard.length;
    await sleep(opt.quiet_ms || 600);
    finish({ ack, stopAck, heard: s.heard.slice(0, count), late: s.heard.slice(count) });
  },
};

const run = scenarios[scenario];
if (!run) finish({ error: "unknown scenario " + scenario });
setTimeout(() => finish({ error: "timeout: whole scenario" }), 30000).unref();
run().catch((e) => finish({ error: e.message }));
