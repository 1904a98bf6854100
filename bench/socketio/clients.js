// Socket.IO load clients (socket.io-client from tests/node), WebSocket transport only,
// connecting to 127.0.0.1 only.
//   node clients.js idle <url> <count>
//       connects <count> sockets, prints "connected <n>", holds them until stdin closes
//   node clients.js broadcast <url> <count> <messages> <trigger 0|1>
//       connects, prints "connected <n>", waits for "go" on stdin; the trigger process
//       asks for <messages> broadcasts; every process prints "received <n> <ms>" when
//       each of its sockets got <messages> ticks (ms since "go")
"use strict";

const path = require("path");
const readline = require("readline");
const { io } = require(path.join(__dirname, "..", "..", "tests", "node", "node_modules", "socket.io-client"));

const [mode, url, countText, messagesText, triggerText] = process.argv.slice(2);
const count = Number(countText);
const messages = Number(messagesText || 0);
if (!url.startsWith("http://127.0.0.1:")) throw new Error("load only on 127.0.0.1");

const sockets = [];
let connected = 0;
let failed = 0;
let received = 0;
let started = 0;
const payload = { text: "x".repeat(64), n: 1 };

function open(i) {
  const s = io(url, {
    path: "/__atrium/echo/socket.io/",
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    timeout: 60000,
  });
  // Reported once every socket connected or failed: "connected <ok> <failed>".
  const settled = () => {
    if (connected + failed === count) process.stdout.write(`connected ${connected} ${failed}\n`);
  };
  s.on("connect", () => {
    connected++;
    settled();
  });
  s.on("connect_error", () => {
    failed++;
    settled();
  });
  s.on("tick", () => {
    received++;
    if (received === connected * messages) process.stdout.write(`received ${received} ${Date.now() - started}\n`);
  });
  sockets.push(s);
  // Opened in small batches so the listen backlog is never the bottleneck.
  if (i + 1 < count) setTimeout(() => open(i + 1), i % 50 === 49 ? 20 : 0);
}
open(0);

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  if (line.trim() !== "go" || mode !== "broadcast") return;
  started = Date.now();
  if (triggerText === "1") sockets[0].emit("broadcast", messages, payload, () => {});
});
rl.on("close", () => {
  for (const s of sockets) s.close();
  process.exit(0);
});
