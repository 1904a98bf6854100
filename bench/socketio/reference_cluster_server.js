// One node of the reference Node cluster for the cross-instance broadcast benchmark:
// socket.io 4.8.1 with @socket.io/redis-adapter 8.3.0 over node-redis 4.7.1 (tests/node,
// pinned), shaped like Atrium's echo namespace: `join` [room] joins a room and acks "ok";
// `publish` [room, type, payload] emits `type` payload to every socket of the room on
// every node of the cluster (through Redis), then acks "ok" when asked.
// Usage: node reference_cluster_server.js <port> <redis url>
"use strict";

const path = require("path");
const modules = path.join(__dirname, "..", "..", "tests", "node", "node_modules");
const { Server } = require(path.join(modules, "socket.io"));
const { createAdapter } = require(path.join(modules, "@socket.io", "redis-adapter"));
const { createClient } = require(path.join(modules, "redis"));

async function main() {
  const port = Number(process.argv[2]);
  const pub = createClient({ url: process.argv[3] });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const io = new Server({ path: "/__atrium/echo/socket.io/", serveClient: false, adapter: createAdapter(pub, sub) });
  io.on("connection", (socket) => {
    socket.on("join", (room, ack) => {
      socket.join(String(room));
      if (typeof ack === "function") ack("ok");
    });
    socket.on("publish", (room, type, payload, ack) => {
      io.to(String(room)).emit(String(type), payload);
      if (typeof ack === "function") ack("ok");
    });
  });
  io.listen(port);
  io.httpServer.on("listening", () => process.stdout.write("ready\n"));
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
