// The graphql-http server audits (GraphQL over HTTP spec) against a running server.
// Usage: node audit.mjs <graphql url>; prints one JSON array of {id, name, status, reason}.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <url>');
  process.exit(2);
}
const results = [];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  let body = null;
  if (result.status !== 'ok' && result.response) {
    body = await result.response.text().catch(() => null);
  }
  results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason ?? null, body });
}
process.stdout.write(JSON.stringify(results) + '\n');
