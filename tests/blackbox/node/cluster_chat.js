// One user's sockets on a cluster, with the official socket.io-client: one through the
// load balancer with the client's default transports (long-polling first, then the
// upgrade to a WebSocket), one directly on each instance. A send_message on the socket
// of instance B; every socket hears the whole turn.
// Usage: node cluster_chat.js <json options: via, a, b, token, config_id, message>
// Prints one JSON line: each socket's events in order, and the balanced socket's
// transport before and after its upgrade.
"use strict";

const path = require("path");
const { io } = require(path.join(__dirname, "..", "..", "node", "node_modules", "socket.io-client"));

const opt = JSON.parse(process.argv[2] || "{}");
const EVENTS = ["conversation_created", "message_saved", "message_start", "message_chunk", "message_complete",
  "message_error", "generation_stopped", "error"];
const sockets = {};

function fail(message) {
  for (const s of Object.values(sockets)) s.close();
  process.stdout.write(JSON.stringify({ error: message }) + "\n");
  process.exit(1);
}

function connect(name, url, transports) {
  return new Promise((resolve, reject) => {
    const s = io(url, { auth: { token: opt.token }, reconnection: false, timeout: 10000, transports });
    // The transport the engine opened with, and the one it upgraded to.
    s.io.on("open", () => {
      s.firstTransport = s.io.engine.transport.name;
      s.io.engine.on("upgrade", (t) => { s.upgradedTo = t.name; });
    });
    s.heard = [];
    for (const e of EVENTS) s.on(e, (data) => s.heard.push([e, data]));
    s.on("connect_error", (e) => reject(new Error(name + " connect_error: " + e.message)));
    s.once("authenticated", () => resolve(s));
    sockets[name] = s;
  });
}

function until(predicate, ms, what) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > ms) return reject(new Error("timeout waiting for " + what));
      setTimeout(tick, 10);
    };
    tick();
  });
}

(async () => {
  const balanced = await connect("via", opt.via, ["polling", "websocket"]);
  await until(() => balanced.upgradedTo === "websocket", 10000, "the upgrade to websocket");
  const first = balanced.firstTransport;
  await connect("a", opt.a, ["websocket"]);
  await connect("b", opt.b, ["websocket"]);
  const ack = await new Promise((resolve) => sockets.b.timeout(30000).emit("send_message",
    { config_id: opt.config_id, message: opt.message }, (err, r) => resolve(err ? { ack_error: err.message } : r)));
  const done = (s) => s.heard.some(([e]) => e === "message_complete" || e === "message_error");
  await until(() => Object.values(sockets).every(done), 30000, "message_complete on every socket");
  await new Promise((r) => setTimeout(r, 300));  // anything more (a duplicate) shows up
  const result = { ack, first_transport: first, transport: balanced.io.engine.transport.name, heard: {} };
  for (const [name, s] of Object.entries(sockets)) result.heard[name] = s.heard;
  for (const s of Object.values(sockets)) s.close();
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
})().catch((e) => fail(e.message));
