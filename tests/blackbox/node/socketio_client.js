// Drives Atrium's Socket.IO server with the official socket.io-client (tests/node).
// Usage: node socketio_client.js <scenario> <json options>
// Prints one JSON line with what the client observed; exits 0 unless the script broke.
"use strict";

const path = require("path");
const { io } = require(path.join(__dirname, "..", "..", "node", "node_modules", "socket.io-client"));

const [scenario, rawOptions] = process.argv.slice(2);
const opt = JSON.parse(rawOptions || "{}");

function client(extra) {
  return io(opt.url, {
    path: opt.path || "/socket.io/",
    auth: opt.token === undefined ? undefined : { token: opt.token },
    reconnection: false,
    timeout: 5000,
    ...extra,
  });
}

function finish(result) {
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
}

function timeout(ms, what) {
  setTimeout(() => finish({ error: "timeout: " + what }), ms).unref();
}

const scenarios = {
  // Connect with a token and report the server's `authenticated` event.
  authenticated() {
    const s = client({});
    s.on("connect_error", (e) => finish({ connect_error: e.message, data: e.data || null }));
    s.on("authenticated", (data) => {
      finish({ connected: s.connected, id: s.id, authenticated: data, transport: s.io.engine.transport.name });
    });
    timeout(8000, "authenticated");
  },
  // An event with an ack, over the given transports; reports the transport in use.
  ack() {
    const s = client(opt.transports ? { transports: opt.transports, upgrade: opt.upgrade !== false } : {});
    let upgraded = false;
    let firstTransport = null;
    s.io.on("open", () => {
      firstTransport = s.io.engine.transport.name;
      s.io.engine.on("upgrade", () => {
        upgraded = true;
      });
    });
    s.on("connect_error", (e) => finish({ connect_error: e.message }));
    s.on("connect", () => {
      const waitForUpgrade = opt.waitForUpgrade ? 1000 : 0;
      setTimeout(() => {
        s.timeout(3000).emit("message-with-ack", 1, "2", { 3: [true] }, (err, ...args) => {
          finish({ err: err ? err.message : null, args, transport: s.io.engine.transport.name, upgraded, firstTransport });
          s.close();
        });
      }, waitForUpgrade);
    });
    timeout(8000, "ack");
  },
  // Binary attachments both ways: `message` with two buffers comes back as `message-back`.
  binary() {
    const s = client(opt.transports ? { transports: opt.transports } : {});
    s.on("connect_error", (e) => finish({ connect_error: e.message }));
    s.on("connect", () => {
      s.emit("message", Buffer.from([1, 2, 3]), { nested: Buffer.from([4, 5]) }, "text");
    });
    s.on("message-back", (a, b, c) => {
      finish({
        first: Array.from(a),
        nested: Array.from(b.nested),
        text: c,
        isBuffer: Buffer.isBuffer(a),
        transport: s.io.engine.transport.name,
      });
      s.close();
    });
    timeout(8000, "binary");
  },
  // The transport drops; the manager reconnects on its own and the namespace is joined again.
  reconnect() {
    const s = io(opt.url, {
      path: opt.path || "/socket.io/",
      reconnectionDelay: 100,
      reconnectionDelayMax: 200,
      transports: opt.transports || ["polling", "websocket"],
    });
    const ids = [];
    const reasons = [];
    s.on("disconnect", (reason) => reasons.push(reason));
    s.on("connect", () => {
      ids.push(s.id);
      if (ids.length === 1) {
        s.io.engine.close();  // as if the network went away
      } else {
        s.timeout(3000).emit("ping", (err, answer) => {
          finish({ connects: ids.length, distinctIds: new Set(ids).size, reasons, answer: err ? null : answer });
          s.close();
        });
      }
    });
    timeout(8000, "reconnect");
  },
  // Rooms fed by the event bus: join a broadcast topic, publish to it, hear the event.
  relay() {
    const s = client({});
    s.on("connect", () => {
      s.emit("join", opt.room, () => {
        s.emit("publish", opt.room, "news.posted", { n: 7 }, () => {});
      });
    });
    s.on("news.posted", (payload) => {
      finish({ payload });
      s.close();
    });
    timeout(8000, "relay");
  },
};

if (!scenarios[scenario]) {
  finish({ error: "unknown scenario " + scenario });
} else {
  scenarios[scenario]();
}
