// Drives Atrium's OpenAI-compatible front door with the official `openai` npm client
// (tests/node/node_modules). Prints one JSON line with what it saw.
//   node openai_chat.cjs <baseURL> <apiKey> <model> <message>

const path = require("path");
const OpenAI = require(path.join(__dirname, "..", "..", "node", "node_modules", "openai"));

async function main() {
  const [baseURL, apiKey, model, message] = process.argv.slice(2);
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20000 });
  const out = {};

  const plain = await client.chat.completions.create({
    model,
    messages: [
      { role: "system", content: "You are a test." },
      { role: "user", content: message },
    ],
    temperature: 0.2,
  });
  out.plain = { id: plain.id, object: plain.object, text: plain.choices[0].message.content,
                finish: plain.choices[0].finish_reason, usage: plain.usage, model: plain.model };

  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: "user", content: message }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  let chunks = 0;
  let finish = null;
  let usage = null;
  let id = null;
  for await (const chunk of stream) {
    chunks += 1;
    id = chunk.id;
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      if (choice.delta && choice.delta.content) text += choice.delta.content;
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  out.stream = { id, text, chunks, finish, usage };

  try {
    await client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "x" }] });
    out.missing = { ok: true };
  } catch (e) {
    out.missing = { status: e.status, code: e.code, type: e.type, param: e.param, message: e.message };
  }

  const models = await client.models.list();
  out.models = models.data.map((m) => m.id);

  const emb = await client.embeddings.create({ model: "fake-embed", input: ["one two", "three"] });
  out.embeddings = { count: emb.data.length, dims: emb.data[0].embedding.length, usage: emb.usage };

  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ fatal: String(e && e.stack ? e.stack : e), status: e && e.status }) + "\n");
  process.exit(1);
});
