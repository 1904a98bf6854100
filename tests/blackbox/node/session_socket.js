// Holds one Socket.IO connection open with the official socket.io-client (tests/node)
// and reports, one JSON line each, that it connected and why it disconnected.
// Usage: node session_socket.js <json options: url, token, path?, transports?, send?>
// With `send` (a send_message payload), the socket starts that turn once connected and
// reports its ack and its chunks; reading a line on stdin ("send") sends it again.
// Lines: {"event":"connected","id"} | {"event":"connect_error","message"} |
//        {"event":"disconnect","reason"} | {"event":"timeout"} | {"event":"ack","ack"} |
//        {"event":"chunk","n"} | {"event":"<chat event>","data"}
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
socket.on("connect", () => {
  say({ event: "connected", id: socket.id });
  if (opt.send) socket.emit("send_message", opt.send, (ack) => say({ event: "ack", ack }));
});
let chunks = 0;
socket.on("message_chunk", () => say({ event: "chunk", n: ++chunks }));
for (const name of ["message_complete", "message_error", "generation_stopped"]) {
  socket.on(name, (data) => say({ event: name, data }));
}
if (opt.send) {
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", () => socket.emit("send_message", opt.send, (ack) => say({ event: "ack", ack })));
}
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
