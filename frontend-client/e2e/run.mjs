// Runs every e2e test file under `node --test` against one shared `factorygraph serve --demo`
// (a tiny foresight model trained first, so risk alerts appear), then stops it.
//
// usage: node e2e/run.mjs [test files...]   (default: e2e/*.test.mjs)
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { startService } from "./harness.mjs";

const here = new URL(".", import.meta.url).pathname;
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(here)
      .filter((f) => f.endsWith(".test.mjs"))
      .sort()
      .map((f) => join(here, f));

// The README's screenshots want a model that raises alerts with drivers and affected orders.
const model = process.env.FG_SCREENSHOTS_TO ? { days: 30, epochs: 10 } : true;
const service = await startService({ model });
let code = 1;
try {
  const child = spawn(process.execPath, ["--test", "--test-concurrency=1", ...files], {
    stdio: "inherit",
    env: {
      ...process.env,
      FG_E2E_BASE: service.base,
      FG_E2E_TOKEN: service.token,
      FG_E2E_DATA_DIR: service.dataDir,
    },
  });
  code = await new Promise((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
} finally {
  await service.dispose();
}
process.exit(code);
