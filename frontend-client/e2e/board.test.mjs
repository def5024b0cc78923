// The plant board against the shared demo service (live simulated OPC UA plant): every machine
// the API knows has a tile in the state the API gives, a recorded state change reaches its
// tile live (no reload), line headers count what their tiles show and give the line's OEE of
// the running shift as shiftOee computes it, `?line=` highlights a line, and the page passes
// axe with no request leaving the origin.
//
// The plant changes states by itself, so comparisons are made against fresh API reads and
// retried until one read and the page agree, never against fixed demo values.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  axeViolations,
  eventually,
  launchBrowser,
  newContext,
  screenshot,
  sharedService,
  signIn,
} from "./harness.mjs";

const service = sharedService();

const MACHINES = `query($after: String) {
  machines(first: 500, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id state stateAt values { name text sourceTimestamp } }
  }
}`;

const RECORD = `mutation Record($id: ID!, $state: MachineState!, $at: DateTime!) {
  recordMachineState(machineId: $id, state: $state, at: $at) {
    __typename
    ... on MachineStateRecorded { outcome machine { id state stateAt } }
    ... on ValidationError { field message }
    ... on NotFoundError { message ids }
  }
}`;

const LINE_OEE = `query($lineId: ID!, $from: DateTime!, $to: DateTime!) {
  shiftOee(lineId: $lineId, from: $from, to: $to) {
    machineIds
    shifts { oee shift { from to } }
  }
}`;

const STALE_AFTER_S = 60;

/** The tile state the page should show for an API machine (StateBadge's tileState). */
function expectedTileState(machine, now) {
  const stamps = [machine.stateAt, ...machine.values.map((v) => v.sourceTimestamp)]
    .filter(Boolean)
    .map((s) => Date.parse(s));
  const newest = stamps.length ? Math.max(...stamps) : 0;
  if (!newest || now - newest > STALE_AFTER_S * 1000) return "not-reporting";
  const mode = machine.values.find((v) => /^operation[_ ]?mode$/i.test(v.name))?.text ?? "";
  switch (machine.state) {
    case "EXECUTING":
      return "running";
    case "NOT_EXECUTING":
      return /setup/i.test(mode) ? "setup" : "idle";
    case "OUT_OF_SERVICE":
      return "down";
    default:
      return "unavailable";
  }
}

async function apiMachines() {
  const nodes = [];
  let after = null;
  for (;;) {
    const { machines } = await service.gql(MACHINES, { after });
    nodes.push(...machines.nodes);
    if (!machines.pageInfo.hasNextPage) return nodes;
    after = machines.pageInfo.endCursor;
  }
}

/** @type {import("playwright-core").Browser} */
let browser;
let ctx;
/** @type {import("playwright-core").Page} */
let page;
const requested = [];

before(async () => {
  browser = await launchBrowser();
  ctx = await newContext(browser, service.base);
  page = await ctx.context.newPage();
  page.on("request", (r) => requested.push(r.url()));
  await signIn(page, service.base, service.token, "/");
  await page.getByTestId("machine-tile").first().waitFor({ timeout: 30_000 });
});

after(async () => {
  await browser?.close();
});

const tiles = () =>
  page.$$eval("[data-testid=machine-tile]", (els) =>
    els.map((e) => ({ id: e.dataset.machineId, state: e.dataset.state })),
  );

test("every machine the API returns has a tile, in the state the API gives", async () => {
  const machines = await apiMachines();
  assert.ok(machines.length > 0, "the demo plant has machines");
  await eventually(
    async () => {
      const shown = await tiles();
      return shown.length === machines.length;
    },
    { what: "a tile per machine" },
  );
  const shown = await tiles();
  assert.deepEqual(shown.map((t) => t.id).sort(), machines.map((m) => m.id).sort());
  assert.equal(new Set(shown.map((t) => t.id)).size, shown.length, "one tile per machine");

  // Tiles show the machine's name in their link to the machine page.
  const first = machines[0];
  const { machine } = await service.gql("query($id: ID!) { machine(id: $id) { name } }", {
    id: first.id,
  });
  const link = page
    .locator(`[data-testid=machine-tile][data-machine-id="${first.id}"]`)
    .getByRole("link", { name: machine.name });
  assert.equal(await link.getAttribute("href"), `/machines/${first.id}`);

  // Values and op modes come from a 5 s poll: retry until one API read and the page agree.
  await eventually(
    async () => {
      const fresh = await apiMachines();
      const now = Date.now();
      const want = new Map(fresh.map((m) => [m.id, expectedTileState(m, now)]));
      const got = await tiles();
      const wrong = got
        .filter((t) => want.get(t.id) !== t.state)
        .map((t) => `${t.id}: ${t.state}, API ${want.get(t.id)}`);
      if (wrong.length) throw new Error(wrong.join("; "));
      return true;
    },
    { timeoutMs: 40_000, everyMs: 1_000, what: "tiles in the API's states" },
  );
});

test("a recorded state change reaches its tile live, without a reload", async () => {
  const machines = await apiMachines();
  const target = machines.find((m) => m.state !== "OUT_OF_SERVICE") ?? machines[0];
  const state = target.state === "OUT_OF_SERVICE" ? "EXECUTING" : "OUT_OF_SERVICE";
  const wanted = state === "OUT_OF_SERVICE" ? "down" : "running";
  const selector = `[data-testid=machine-tile][data-machine-id="${target.id}"]`;
  // Record every state the tile shows from now on, and mark the document: a reload loses both.
  await page.evaluate((sel) => {
    const w = /** @type {any} */ (window);
    w.__boardMarker = true;
    w.__tileStates = [];
    const tile = document.querySelector(sel);
    new MutationObserver(() => w.__tileStates.push(tile?.getAttribute("data-state"))).observe(
      tile,
      { attributes: true, attributeFilter: ["data-state"] },
    );
  }, selector);
  const at = new Date(Math.max(Date.now(), Date.parse(target.stateAt ?? 0)) + 1_000).toISOString();
  const sentAt = Date.now();
  const { recordMachineState: result } = await service.gql(RECORD, { id: target.id, state, at });
  assert.equal(result.__typename, "MachineStateRecorded", JSON.stringify(result));
  assert.equal(result.outcome, "CHANGED");
  await eventually(
    () => page.evaluate((want) => /** @type {any} */ (window).__tileStates.includes(want), wanted),
    { timeoutMs: 5_000, everyMs: 100, what: `tile ${target.id} showing ${wanted}` },
  );
  const tookMs = Date.now() - sentAt;
  assert.ok(tookMs < 5_000, `the tile changed within ${tookMs} ms`);
  assert.equal(await page.evaluate(() => /** @type {any} */ (window).__boardMarker), true);
});

/** Each line header's counts and OEE, with the states of the tiles under it. */
const lineHeaders = () =>
  page.$$eval("[data-testid=line-header]", (headers) =>
    headers.map((h) => {
      const section = h.closest("section");
      const states = [...(section?.querySelectorAll("[data-testid=machine-tile]") ?? [])].map((t) =>
        t.getAttribute("data-state"),
      );
      const counts = Object.fromEntries(
        [...h.querySelectorAll("[data-count]")].map((c) => [
          c.getAttribute("data-state"),
          Number(c.getAttribute("data-count")),
        ]),
      );
      const oee = h.querySelector("[data-oee]");
      return {
        id: h.getAttribute("data-line-id"),
        states,
        counts,
        oee: oee?.getAttribute("data-oee") ?? null,
        oeeText: oee?.textContent ?? "",
      };
    }),
  );

/** The OEE of the line's running shift, as the API rolls it up; null when it has none. */
async function apiLineOee(lineId) {
  const now = Date.now();
  const { shiftOee } = await service.gql(LINE_OEE, {
    lineId,
    from: new Date(now - 60_000).toISOString(),
    to: new Date(now).toISOString(),
  });
  const running = shiftOee.shifts.find(
    (s) => Date.parse(s.shift.from) <= now && now < Date.parse(s.shift.to),
  );
  return running?.oee ?? null;
}

test("line headers count their tiles' states and give the line's OEE this shift", async () => {
  const lines = await lineHeaders();
  assert.ok(lines.length > 0);
  for (const line of lines) {
    const fromTiles = {};
    for (const s of line.states) fromTiles[s] = (fromTiles[s] ?? 0) + 1;
    assert.deepEqual(line.counts, fromTiles, `line ${line.id}: counts equal its tiles' states`);
  }
  // The running shift's figures move on (just after the service starts, counts grow by
  // several per cent a poll): the page's figure must lie between an API read taken just
  // before a reload and one taken once the reloaded page shows it (1 % slack each side).
  const ids = lines.map((line) => line.id);
  await eventually(
    async () => {
      const before = await Promise.all(ids.map(apiLineOee));
      await page.reload();
      await eventually(
        async () =>
          (await lineHeaders()).filter((l) => l.oee !== null).length ===
          before.filter((v) => v !== null).length,
        { timeoutMs: 20_000, what: "every line header's OEE after the reload" },
      );
      const shown = await lineHeaders();
      const after = await Promise.all(ids.map(apiLineOee));
      const wrong = [];
      ids.forEach((id, i) => {
        const line = shown.find((l) => l.id === id);
        const [b, a] = [before[i], after[i]];
        if (b === null || a === null) {
          if (line?.oee) wrong.push(`${id}: shows ${line.oee}, API has none`);
          return;
        }
        const value = Number(line?.oee);
        const slack = 0.01 * Math.max(a, b, 0.05);
        if (!line?.oee || value < Math.min(a, b) - slack || value > Math.max(a, b) + slack) {
          wrong.push(`${id}: shows ${line?.oee}, API ${b} before and ${a} after`);
        } else if (!line.oeeText.includes(`${(value * 100).toFixed(1)}%`)) {
          wrong.push(`${id}: text ${line.oeeText} lacks ${(value * 100).toFixed(1)}%`);
        }
      });
      if (wrong.length) throw new Error(wrong.join("; "));
      return true;
    },
    { timeoutMs: 60_000, everyMs: 1_000, what: "line OEE as the API gives it" },
  );
});

test("?line= highlights and scrolls to the line; axe, screenshot, no off-origin request", async () => {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, "plant-board");

  const headers = await page.$$eval("[data-testid=line-header]", (hs) =>
    hs.map((h) => h.getAttribute("data-line-id")),
  );
  const last = headers[headers.length - 1];
  await page.goto(`${service.base}/?line=${encodeURIComponent(last)}`);
  const section = page.locator(`section#line-${last}`);
  await section.waitFor();
  await eventually(async () => (await section.getAttribute("data-highlighted")) === "true", {
    what: "highlighted line",
  });
  await eventually(
    () =>
      section.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top < window.innerHeight && r.bottom > 0;
      }),
    { what: `line ${last} scrolled into view` },
  );

  assert.deepEqual(
    requested.filter((u) => /uplot/i.test(u)),
    [],
    "the board does not load uPlot",
  );
  assert.deepEqual(ctx.offOrigin, []);
  assert.deepEqual(ctx.errors, []);
});
