// Validates an OpenAPI document with @apidevtools/swagger-parser (an independent
// validator) and prints the operations it found: "ok <count>" or the error.
//   node validate-openapi.js openapi.json
const SwaggerParser = require("@apidevtools/swagger-parser");

async function main() {
  const file = process.argv[2];
  const api = await SwaggerParser.validate(file);
  let count = 0;
  for (const item of Object.values(api.paths)) count += Object.keys(item).length;
  console.log(`ok ${api.openapi} ${count}`);
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
