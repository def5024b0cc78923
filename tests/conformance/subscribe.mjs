// One subscription through the graphql-ws client (graphql-transport-ws protocol).
// Usage: node subscribe.mjs <ws url> <token> <count> <query> [variables JSON]
// Prints one JSON line per message: {"next": payload}, then {"done": true} after <count>
// results, or {"error": ...} / {"closed": {code, reason}} if the server ends it first.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, countText, query, variablesText] = process.argv.slice(2);
const count = Number(countText);
const emit = (value) => process.stdout.write(JSON.stringify(value) + '\n');

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${token}` },
  retryAttempts: 0,
  lazy: false,
  on: {
    connected: () => emit({ connected: true }),
    closed: (event) => emit({ closed: { code: event?.code ?? null, reason: event?.reason ?? null } }),
  },
});

let received = 0;
let exitCode = 0;
await new Promise((resolve) => {
  const dispose = client.subscribe(
    { query, variables: variablesText ? JSON.parse(variablesText) : undefined },
    {
      next: (payload) => {
        emit({ next: payload });
        received += 1;
        if (received >= count) {
          dispose();
          resolve();
        }
      },
      error: (error) => {
        const described = Array.isArray(error)
          ? error.map((e) => e.message)
          : { code: error?.code ?? null, reason: error?.reason ?? String(error) };
        emit({ error: described });
        exitCode = 1;
        resolve();
      },
      complete: () => resolve(),
    },
  );
});
await client.dispose();
emit({ done: received >= count, received });
process.exit(exitCode);
