// The reference Node socket.io server (tests/node, pinned 4.8.1), shaped like Atrium's
// echo namespace for the benchmark: `broadcast` [count, payload] emits `tick` payload
// count times to every socket, then acks. Usage: node reference_server.js <port>
"use strict";

const path = require("path");
const { Server } = require(path.join(__dirname, "..", "..", "tests", "node", "node_modules", "socket.io"));

const port = Number(process.argv[2]);
const io = new Server(port, { path: "/__atrium/echo/socket.io/", serveClient: false });
io.on("connection", (socket) => {
  socket.on("broadcast", (count, payload, ack) => {
    for (let i = 0; i < count; i++) io.emit("tick", payload);
    if (typeof ack === "function") ack(count);
  });
});
io.httpServer.on("listening", () => process.stdout.write("ready\n"));
