// A real `factorygraph serve --demo` on a loopback port and Debian's chromium through
// playwright-core (no browser download), for the end-to-end tests under `node --test`.
//
// run.mjs starts one shared service for all test files (FG_E2E_* in the environment);
// a test that must restart or break the service starts its own with startService().
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { CHROMIUM, launchBrowser } from "./browser.mjs";

export { CHROMIUM, launchBrowser };

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, "..", "..");
export const FACTORYGRAPH =
  process.env.FACTORYGRAPH_BIN ?? join(REPO, ".venv", "bin", "factorygraph");
export const SCREENSHOTS = join(HERE, "screenshots");
const STARTUP_TIMEOUT_MS = 180_000;

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Train and promote a tiny foresight model into `dataDir` (seconds, not the demo's minute). */
export function trainTinyModel(dataDir, { days = 10, epochs = 2 } = {}) {
  const args = [
    "train",
    "--data-dir",
    dataDir,
    "--seeds",
    "1",
    "--val-seeds",
    "2",
    "--days",
    String(days),
    "--every-h",
    "24",
    "--epochs",
    String(epochs),
    "--time-budget",
    "60",
    "--promote",
  ];
  const done = spawnSync(FACTORYGRAPH, args, { encoding: "utf8", timeout: 300_000 });
  if (done.status !== 0)
    throw new Error(`factorygraph train failed:\n${done.stdout}\n${done.stderr}`);
}

/**
 * Start `factorygraph serve --demo` on a free port with its own data directory.
 * `env` adds to the service's environment (e.g. a tiny FACTORYGRAPH_DEMO_TRAINING, so a
 * fresh data directory does not train the demo's minute-long model in the background).
 * Returns { base, token, dataDir, port, log(), stop(), restart(), tokenFor(role), gql() }.
 */
export async function startService({ plant = true, dataDir, port, model = false, env = {} } = {}) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "fg-e2e-"));
  if (model) trainTinyModel(dir, model === true ? {} : model);
  const listen = port ?? (await freePort());
  const base = `http://127.0.0.1:${listen}`;
  let output = "";
  let child = null;

  async function launch() {
    output = "";
    const args = [
      "serve",
      "--demo",
      "--host",
      "127.0.0.1",
      "--port",
      String(listen),
      "--data-dir",
      dir,
    ];
    if (!plant) args.push("--no-plant");
    child = spawn(FACTORYGRAPH, args, {
      cwd: REPO,
      env: {
        ...process.env,
        COLUMNS: "400",
        NO_COLOR: "1",
        FACTORYGRAPH_LOG_LEVEL: "WARNING",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const started = Date.now();
    for (;;) {
      if (hasExited(child))
        throw new Error(`serve exited ${child.exitCode ?? child.signalCode}:\n${output}`);
      if (Date.now() - started > STARTUP_TIMEOUT_MS)
        throw new Error(`serve did not get ready:\n${output}`);
      try {
        const ready = await fetch(`${base}/readyz`);
        const page = await fetch(`${base}/`);
        if (ready.ok && page.ok) break;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    const match = output.match(/fgt_[A-Za-z0-9_.-]+/);
    if (!match) throw new Error(`no admin token in the output:\n${output}`);
    return match[0];
  }

  let token = await launch();
  const service = {
    base,
    port: listen,
    dataDir: dir,
    get token() {
      return token;
    },
    log: () => output,
    async stop() {
      // A child killed by a signal has signalCode set and exitCode null.
      if (!child || hasExited(child)) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    },
    async restart() {
      await service.stop();
      token = await launch();
      return token;
    },
    async dispose() {
      await service.stop();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
    tokenFor: (role, name = `e2e ${role}`) => createToken(dir, role, name),
    gql: (query, variables = {}, as = token) => gql(base, query, variables, as),
  };
  return service;
}

const hasExited = (child) => child.exitCode !== null || child.signalCode !== null;

/** `factorygraph token create` on the running service's data directory. */
export function createToken(dataDir, role, name) {
  const done = spawnSync(
    FACTORYGRAPH,
    ["token", "create", "--role", role, "--name", name, "--data-dir", dataDir],
    { encoding: "utf8", env: { ...process.env, COLUMNS: "400", NO_COLOR: "1" } },
  );
  const match = done.stdout.match(/fgt_[A-Za-z0-9_.-]+/);
  if (done.status !== 0 || !match)
    throw new Error(`token create failed: ${done.stdout}${done.stderr}`);
  return match[0];
}

/** The id of a token (`fgt_<id>.<secret>`), as `factorygraph token list` shows it. */
export function tokenId(token) {
  const match = token.match(/^fgt_([^.]+)\./);
  if (!match) throw new Error(`not a factorygraph token: ${token.slice(0, 8)}…`);
  return match[1];
}

/** `factorygraph token list`: [{ id, name, role, state }] of the data directory's tokens. */
export function listTokens(dataDir) {
  const done = spawnSync(FACTORYGRAPH, ["token", "list", "--data-dir", dataDir], {
    encoding: "utf8",
    env: { ...process.env, COLUMNS: "400", NO_COLOR: "1" },
  });
  if (done.status !== 0) throw new Error(`token list failed: ${done.stdout}${done.stderr}`);
  const rows = [];
  for (const line of done.stdout.split("\n")) {
    const cells = line
      .split(/[│|]/)
      .map((c) => c.trim())
      .filter(Boolean);
    if (cells.length === 5 && /^[0-9a-f]+$/.test(cells[0])) {
      rows.push({ id: cells[0], name: cells[1], role: cells[2], state: cells[4] });
    }
  }
  return rows;
}

/** `factorygraph token revoke` of a token (its id or the token itself). */
export function revokeToken(dataDir, tokenOrId) {
  const id = tokenOrId.startsWith("fgt_") ? tokenId(tokenOrId) : tokenOrId;
  const done = spawnSync(FACTORYGRAPH, ["token", "revoke", id, "--data-dir", dataDir], {
    encoding: "utf8",
    env: { ...process.env, COLUMNS: "400", NO_COLOR: "1" },
  });
  if (done.status !== 0) throw new Error(`token revoke failed: ${done.stdout}${done.stderr}`);
  return id;
}

/** One GraphQL request; throws on transport or GraphQL errors (tests read `data`). */
export async function gql(base, query, variables, token) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (!response.ok || body.errors) {
    throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

/** What a test's own service trains on first run: a few seconds instead of the demo's minute. */
export const TINY_DEMO_TRAINING = JSON.stringify({
  seeds: [1],
  val_seeds: [2],
  days: 4,
  every_h: 24,
  epochs: 1,
  time_budget_s: 10,
});

/** The service run.mjs started for every test file. */
export function sharedService() {
  const base = process.env.FG_E2E_BASE;
  const token = process.env.FG_E2E_TOKEN;
  const dataDir = process.env.FG_E2E_DATA_DIR;
  if (!base || !token || !dataDir) throw new Error("run the e2e tests with `node e2e/run.mjs`");
  return {
    base,
    token,
    dataDir,
    tokenFor: (role, name = `e2e ${role}`) => createToken(dataDir, role, name),
    gql: (query, variables = {}, as = token) => gql(base, query, variables, as),
  };
}

/**
 * A browser context whose requests may not leave the service's origin: anything else is
 * aborted and recorded in `offOrigin` (tests assert it stays empty).
 */
export async function newContext(browser, base, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...options });
  const origin = new URL(base).origin;
  const offOrigin = [];
  const errors = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin) {
      return route.continue();
    }
    offOrigin.push(url);
    return route.abort("blockedbyclient");
  });
  context.on("weberror", (error) => errors.push(String(error.error())));
  return { context, offOrigin, errors };
}

/**
 * One browser for a test file, launched before its tests and closed after them with every
 * context it opened; `freshPage()` opens a context (off-origin requests recorded) and a page.
 */
export function browserForFile(base) {
  let browser;
  const contexts = [];
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    for (const { context } of contexts) await context.close();
    await browser?.close();
  });
  return async function freshPage() {
    const opened = await newContext(browser, base);
    contexts.push(opened);
    const page = await opened.context.newPage();
    return { ...opened, page };
  };
}

/** Sign in through the sign-in page with `token`, then open `path`. */
export async function signIn(page, base, token, path = "/") {
  await page.goto(base + path);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("role").waitFor();
}

/** Serious and critical axe-core violations on the page as it is now. */
export async function axeViolations(page) {
  const source = readFileSync(join(HERE, "..", "node_modules", "axe-core", "axe.min.js"), "utf8");
  // Evaluated through the DevTools protocol: the service's CSP (script-src 'self') blocks
  // an inline <script>, and must stay as strict in the tests as in production.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(source);
  const result = await page.evaluate(async () => {
    const axe = /** @type {any} */ (window).axe;
    const found = await axe.run(document, { resultTypes: ["violations"] });
    return found.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  });
  return result.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** The screenshots the README shows: `make screenshots` also writes these to docs/. */
export const README_SCREENSHOTS = new Set([
  "plant-board",
  "machine-detail",
  "alerts",
  "orders",
  "sales-order",
  "trace",
  "quality",
  "sign-in",
]);

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
  const docs = process.env.FG_SCREENSHOTS_TO;
  if (docs && README_SCREENSHOTS.has(name)) {
    mkdirSync(docs, { recursive: true });
    await page.screenshot({ path: join(docs, `${name}.png`), fullPage: false, scale: "css" });
  }
}

/** Poll `check` until it returns a truthy value (returned) or `timeoutMs` passes. */
export async function eventually(
  check,
  { timeoutMs = 30_000, everyMs = 250, what = "condition" } = {},
) {
  const started = Date.now();
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}: ${last}`);
    await sleep(everyMs);
  }
}
