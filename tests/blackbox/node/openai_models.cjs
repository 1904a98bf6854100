// models.retrieve with the official `openai` npm client (tests/node/node_modules).
// Prints one JSON line: for each id, the model it got or the error it saw.
//   node openai_models.cjs <baseURL> <apiKey> <id>...

const path = require("path");
const OpenAI = require(path.join(__dirname, "..", "..", "node", "node_modules", "openai"));

async function main() {
  const [baseURL, apiKey, ...ids] = process.argv.slice(2);
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20000 });
  const out = {};
  for (const id of ids) {
    try {
      const m = await client.models.retrieve(id);
      out[id] = { id: m.id, object: m.object, owned_by: m.owned_by, created: typeof m.created };
    } catch (e) {
      out[id] = { status: e.status, code: e.code, type: e.type, param: e.param, error: e.constructor.name };
    }
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ fatal: String(e && e.stack ? e.stack : e) }) + "\n");
  process.exit(1);
});
