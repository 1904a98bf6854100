// Consumes pisovereign's POST /v1/chat/stream with the `eventsource` npm client
// (tests/node/node_modules), the EventSource API with a fetch that POSTs the body.
// Prints one JSON line: the deltas' text, the done event's data, and the event names.
//   node pisovereign_sse.cjs <url> <apiKey> <message>

const path = require("path");
const { EventSource } = require(path.join(__dirname, "..", "..", "node", "node_modules", "eventsource"));

const [url, apiKey, message] = process.argv.slice(2);
const out = { text: "", events: [], done: null };
const source = new EventSource(url, {
  fetch: (input, init) =>
    fetch(input, {
      ...init,
      method: "POST",
      headers: { ...init.headers, Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ message }),
    }),
});
const timer = setTimeout(() => {
  out.error = "timed out";
  console.log(JSON.stringify(out));
  process.exit(1);
}, 30000);
source.addEventListener("message", (e) => {
  out.events.push("message");
  out.text += JSON.parse(e.data).delta;
});
source.addEventListener("done", (e) => {
  out.events.push("done");
  out.done = JSON.parse(e.data);
  source.close();  // the stream is over: an EventSource would otherwise reconnect
  clearTimeout(timer);
  console.log(JSON.stringify(out));
});
source.onerror = (e) => {
  if (out.done) return;
  out.error = String(e.message || e.code || "error");
  source.close();
  clearTimeout(timer);
  console.log(JSON.stringify(out));
  process.exit(1);
};
