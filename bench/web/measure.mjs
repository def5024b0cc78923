// The browser side of `python -m bench.web`: headless Debian chromium through playwright-core
// (from frontend-client/node_modules, no browser download) against a running service.
//
//   node bench/web/measure.mjs paint   '{"base":..., "token":..., "role":..., "runs":5}'
//   node bench/web/measure.mjs trace   '{"base":..., "token":..., "role":..., "runs":5, "lots":[...]}'
//   node bench/web/measure.mjs latency '{"base":..., "token":..., "role":..., "samples":60}'
//
// Prints one JSON object on stdout (the samples; bench/web.py takes medians and
// percentiles); progress goes to stderr. Every run is a fresh browser context (empty
// cache), signed in by putting the token where the sign-in page would (sessionStorage).
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser } from "../../frontend-client/e2e/browser.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(REPO, "frontend-client", "package.json"));
const { createClient } = require("graphql-ws");
const WebSocket = require("ws");

const TILE = "article[data-testid=machine-tile]";
const say = (text) => process.stderr.write(`bench.web: ${text}\n`);

function safeDecode(url) {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** A fresh context already signed in, recording paint, LCP and long-task entries from the start. */
async function signedInContext(browser, config) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const origin = new URL(config.base).origin;
  // Requests whose GraphQL body names one of `holdBack` are never sent (counted instead).
  const held = config.holdBack ?? [];
  context.heldBack = 0;
  await context.route("**/*", (route) => {
    const request = route.request();
    const url = request.url();
    const same =
      url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin;
    if (!same) return route.abort("blockedbyclient");
    // urql sends queries as GET (?query=...) when they fit in a URL, mutations as POST.
    const body = request.method() === "POST" ? (request.postData() ?? "") : safeDecode(url);
    if (held.some((name) => body.includes(name))) {
      context.heldBack += 1;
      return route.abort("blockedbyclient");
    }
    return route.continue();
  });
  await context.addInitScript(
    ({ token, role, appOrigin }) => {
      if (location.origin !== appOrigin) return;
      sessionStorage.setItem("factorygraph.token", token);
      sessionStorage.setItem("factorygraph.role", role);
      // Seeded states are old: keep tiles "reporting" so data-state follows the state alone.
      localStorage.setItem("factorygraph.staleAfterS", String(1e9));
      const seen = { paint: {}, lcp: [], longtasks: [], firstTile: null };
      window.__fgBench = seen;
      const observe = (type, onEntry) => {
        try {
          new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({
            type,
            buffered: true,
          });
        } catch {
          // entry type not supported: left empty
        }
      };
      observe("paint", (e) => {
        seen.paint[e.name] = e.startTime;
      });
      observe("largest-contentful-paint", (e) => {
        seen.lcp.push({
          t: e.renderTime || e.loadTime || e.startTime,
          size: e.size,
          tag: e.element?.tagName ?? null,
        });
      });
      observe("longtask", (e) => {
        seen.longtasks.push({ start: e.startTime, duration: e.duration });
      });
      const watch = new MutationObserver(() => {
        if (
          seen.firstTile === null &&
          document.querySelector("article[data-testid=machine-tile]")
        ) {
          seen.firstTile = performance.now();
          watch.disconnect();
        }
      });
      document.addEventListener("DOMContentLoaded", () =>
        watch.observe(document.body, { childList: true, subtree: true }),
      );
    },
    { token: config.token, role: config.role, appOrigin: origin },
  );
  return context;
}

/** FCP, LCP and first tile of the plant board, one fresh context per run. */
async function paint(config) {
  const browser = await launchBrowser();
  const runs = [];
  try {
    for (let i = 0; i < config.runs + 1; i += 1) {
      const context = await signedInContext(browser, config);
      const page = await context.newPage();
      await page.goto(`${config.base}/`, { waitUntil: "load" });
      await page.locator(TILE).first().waitFor({ timeout: 60_000 });
      // LCP may still move to a later, larger element: let the board settle first.
      await page.waitForTimeout(1_500);
      const seen = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0];
        return {
          ...window.__fgBench,
          tiles: document.querySelectorAll("article[data-testid=machine-tile]").length,
          domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
          transferBytes: performance
            .getEntriesByType("resource")
            .concat(nav ? [nav] : [])
            .reduce((sum, e) => sum + (e.transferSize || 0), 0),
        };
      });
      await context.close();
      const lcp = seen.lcp.at(-1) ?? null;
      const run = {
        fcp_ms: seen.paint["first-contentful-paint"] ?? null,
        lcp_ms: lcp?.t ?? null,
        lcp_element: lcp?.tag ?? null,
        first_tile_ms: seen.firstTile,
        dom_content_loaded_ms: seen.domContentLoaded,
        tiles: seen.tiles,
        transfer_bytes: seen.transferBytes,
      };
      // The first run warms the service (its caches, the trace of the page's queries).
      if (i > 0) runs.push(run);
      say(`paint run ${i}${i === 0 ? " (warm-up)" : ""}: ${JSON.stringify(run)}`);
    }
  } finally {
    await browser.close();
  }
  return { runs };
}

/** Drawn − data marks and the longest task, per trace, one fresh context per run. */
async function trace(config) {
  const browser = await launchBrowser();
  const results = [];
  try {
    for (const lot of config.lots) {
      const runs = [];
      for (let i = 0; i < config.runs + 1; i += 1) {
        const context = await signedInContext(browser, config);
        const page = await context.newPage();
        const url = `${config.base}/trace?id=${encodeURIComponent(lot.id)}&dir=down&depth=25`;
        const started = Date.now();
        await page.goto(url, { waitUntil: "load" });
        await page.waitForFunction(
          () =>
            performance.getEntriesByName("fg:trace-drawn").length > 0 &&
            document.querySelector("[data-testid=trace-graph][data-node-count]"),
          null,
          { timeout: 120_000, polling: 100 },
        );
        // Long tasks are reported when they end: give the last one time to arrive.
        await page.waitForTimeout(1_000);
        const seen = await page.evaluate(() => {
          const data = performance.getEntriesByName("fg:trace-data");
          const drawn = performance.getEntriesByName("fg:trace-drawn");
          const dataAt = data[0]?.startTime ?? null;
          const drawnAt = drawn.find((m) => dataAt === null || m.startTime >= dataAt)?.startTime;
          const graph = document.querySelector("[data-testid=trace-graph]");
          const tasks = window.__fgBench.longtasks;
          return {
            data_at_ms: dataAt,
            drawn_at_ms: drawnAt ?? null,
            data_marks: data.length,
            drawn_marks: drawn.length,
            node_count: Number(graph?.getAttribute("data-node-count")),
            longest_task_ms: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
            longest_task_after_data_ms: tasks
              .filter((t) => dataAt !== null && t.start + t.duration >= dataAt)
              .reduce((m, t) => Math.max(m, t.duration), 0),
            long_tasks: tasks.length,
          };
        });
        const heldBack = context.heldBack;
        await context.close();
        const run = {
          ...seen,
          held_back_requests: heldBack,
          draw_ms:
            seen.drawn_at_ms !== null && seen.data_at_ms !== null
              ? seen.drawn_at_ms - seen.data_at_ms
              : null,
          wall_ms: Date.now() - started,
        };
        if (i > 0) runs.push(run);
        say(`trace ${lot.id} run ${i}${i === 0 ? " (warm-up)" : ""}: ${JSON.stringify(run)}`);
      }
      results.push({ ...lot, runs });
    }
  } finally {
    await browser.close();
  }
  return { traces: results };
}

const RECORD = `mutation BenchRecord($id: ID!, $state: MachineState!, $at: DateTime!) {
  recordMachineState(machineId: $id, state: $state, at: $at) {
    __typename ... on MachineStateRecorded { outcome }
  }
}`;
const FEED = `subscription BenchFeed($ids: [ID!]) {
  machineStateChanged(machineIds: $ids) { machineId state at }
}`;
const TILE_STATE = { EXECUTING: "running", NOT_EXECUTING: "idle" };

/** Node's clock (epoch ms, sub-ms) and the page's, and their offset from the tightest round trip. */
const nodeNow = () => performance.timeOrigin + performance.now();
async function clockOffset(page) {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 30; i += 1) {
    const before = nodeNow();
    const inPage = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = nodeNow();
    if (after - before < best.rtt)
      best = { rtt: after - before, offset: inPage - (before + after) / 2 };
  }
  return best;
}

/**
 * Mutation to repaint of a board tile, beside the same event's arrival at a plain graphql-ws
 * client (Node, graphql-ws over ws). The page sends the mutation with fetch and times it with
 * performance.now(); a MutationObserver sees the tile's data-state change (the app applies live
 * events in a requestAnimationFrame callback) and a task posted from it runs once that frame
 * has been rendered: that is "on screen". The plain client's arrival is put on the page's
 * clock through the offset measured over CDP round trips.
 */
async function latency(config) {
  const browser = await launchBrowser();
  let plainConnected;
  const plainReady = new Promise((resolve) => {
    plainConnected = resolve;
  });
  const plain = createClient({
    url: `${config.base.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${config.token}` },
    lazy: false,
    retryAttempts: 0,
    on: { connected: () => plainConnected() },
  });
  try {
    const context = await signedInContext(browser, config);
    const page = await context.newPage();
    await page.goto(`${config.base}/`, { waitUntil: "load" });
    const tile = page.locator(`${TILE}[data-machine-id="${config.machineId}"]`);
    await tile.waitFor({ timeout: 60_000 });
    await page
      .getByTestId("connection-status")
      .filter({ hasText: "Live" })
      .waitFor({ timeout: 60_000 });

    const arrivals = new Map();
    const waiting = new Map();
    await new Promise((ready, fail) => {
      plain.subscribe(
        { query: FEED, variables: { ids: [config.machineId] } },
        {
          next: ({ data }) => {
            const at = nodeNow();
            const key = Date.parse(data?.machineStateChanged?.at);
            arrivals.set(key, at);
            waiting.get(key)?.(at);
          },
          error: fail,
          complete: () => undefined,
        },
      );
      plainReady.then(() => setTimeout(ready, 300));
      setTimeout(() => fail(new Error("the plain client did not connect in 30 s")), 30_000);
    });

    const start = await clockOffset(page);
    say(
      `clock offset page−node ${start.offset.toFixed(3)} ms (round trip ${start.rtt.toFixed(3)} ms)`,
    );
    const samples = [];
    let last = Date.now();
    const warmup = 5;
    for (let i = 0; i < config.samples + warmup; i += 1) {
      const state = i % 2 === 0 ? "NOT_EXECUTING" : "EXECUTING";
      last = Math.max(Date.now(), last + 1);
      const at = new Date(last).toISOString();
      const plainArrival = new Promise((arrived) => {
        if (arrivals.has(last)) arrived(arrivals.get(last));
        waiting.set(last, arrived);
      });
      const inPage = await page.evaluate(
        async ({ machineId, state, at, expected, query }) => {
          const tile = document.querySelector(
            `article[data-testid=machine-tile][data-machine-id="${machineId}"]`,
          );
          const clock = () => performance.timeOrigin + performance.now();
          let dom = null;
          const onScreen = new Promise((done) => {
            const watch = new MutationObserver(() => {
              if (tile.getAttribute("data-state") !== expected) return;
              dom = clock();
              watch.disconnect();
              const channel = new MessageChannel();
              channel.port1.onmessage = () => done(clock());
              channel.port2.postMessage(null);
            });
            watch.observe(tile, { attributes: true, attributeFilter: ["data-state"] });
          });
          const token = sessionStorage.getItem("factorygraph.token");
          const sent = clock();
          const response = await fetch("/graphql", {
            method: "POST",
            headers: { "content-type": "application/json", Authorization: `Bearer ${token}` },
            body: JSON.stringify({ query, variables: { id: machineId, state, at } }),
          });
          const body = await response.json();
          const answered = clock();
          const outcome = body.data?.recordMachineState?.outcome ?? JSON.stringify(body);
          const timeout = new Promise((r) => setTimeout(() => r(null), 10_000));
          const painted = await Promise.race([onScreen, timeout]);
          return { sent, answered, dom, painted, outcome };
        },
        { machineId: config.machineId, state, at, expected: TILE_STATE[state], query: RECORD },
      );
      if (inPage.outcome !== "CHANGED") throw new Error(`mutation answered ${inPage.outcome}`);
      if (inPage.painted === null) throw new Error(`tile did not show ${state} within 10 s`);
      const arrivedNode = await Promise.race([
        plainArrival,
        new Promise((r) => setTimeout(() => r(null), 10_000)),
      ]);
      if (arrivedNode === null) throw new Error(`the plain client got no event for ${at}`);
      waiting.delete(last);
      const plainAt = arrivedNode + start.offset;
      const sample = {
        web_ms: inPage.painted - inPage.sent,
        web_dom_ms: inPage.dom - inPage.sent,
        plain_ms: plainAt - inPage.sent,
        mutation_ms: inPage.answered - inPage.sent,
      };
      if (i >= warmup) samples.push(sample);
      if (i % 10 === 0) say(`latency sample ${i}: ${JSON.stringify(sample)}`);
      // Apart, so one sample's repaint never overlaps the next one's send.
      await page.waitForTimeout(100 + Math.floor(Math.random() * 50));
    }
    const end = await clockOffset(page);
    await context.close();
    return {
      samples,
      machine_id: config.machineId,
      clock: { start, end, drift_ms: end.offset - start.offset },
    };
  } finally {
    await plain.dispose();
    await browser.close();
  }
}

const MODES = { paint, trace, latency };
const [mode, json] = process.argv.slice(2);
if (!MODES[mode]) {
  process.stderr.write(`usage: measure.mjs ${Object.keys(MODES).join("|")} CONFIG_JSON\n`);
  process.exit(2);
}
const result = await MODES[mode](JSON.parse(json));
process.stdout.write(`${JSON.stringify(result)}\n`);
