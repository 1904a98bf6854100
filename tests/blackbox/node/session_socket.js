// Holds one Socket.IO connection open with the official socket.io-client (tests/node)
// and reports, one JSON line each, that it connected and why it disconnected.
// Usage: node session_socket.js <json options: url, token, path?, transports?>
// Lines: {"event":"connected","id"} | {"event":"connect_error","message"} |
//        {"event":"disconnect","reason"} | {"event":"timeout"}
"use strict";

const path = require("path");
const { io } = require(path.join(__dirname, "..", "..", "node", "node_modules", "socket.io-client"));

const opt = JSON.parse(process.argv[2] || "{}");

function say(line) {
  process.stdout.write(JSON.stringify(line) + "\n");
}

const socket = io(opt.url, {
  path: opt.path || "/socket.io/",
  auth: { token: opt.token },
  reconnection: false,
  timeout: 5000,
  ...(opt.transports ? { transports: opt.transports } : {}),
});
socket.on("connect", () => say({ event: "connected", id: socket.id }));
socket.on("connect_error", (e) => {
  say({ event: "connect_error", message: e.message });
  process.exit(0);
});
socket.on("disconnect", (reason) => {
  say({ event: "disconnect", reason });
  socket.io.engine.close();
  process.exit(0);
});
setTimeout(() => {
  say({ event: "timeout" });
  process.exit(0);
}, opt.holdMs || 30000);
