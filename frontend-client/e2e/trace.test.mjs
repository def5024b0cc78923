// The trace explorer against the shared demo service. The test records its own genealogy
// with `recordProduction` (batch 1 from two available lots, batch 2 from batch 1), then
// checks that the page shows exactly what the API's `trace` answers (nodes, depths, edges;
// in the graph as drawn and in the table), upstream from batch 2 and downstream from a lot;
// that the depth control changes the query and the cut banner appears exactly when a trace
// one level deeper reaches more; the recall scope; the CSV exports; axe in both views; no
// request off the origin.
//
// Every expectation is read back from the API (the demo plant keeps producing: comparisons
// re-read the API until page and API agree).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
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

const TRACE = `query($id: ID!, $direction: TraceDirection!, $depth: Int) {
  trace(lotId: $id, direction: $direction, maxDepth: $depth) {
    startIds maxDepth nodeCount
    nodes { id label depth }
    edges { sourceId type targetId }
  }
}`;

const RECALL = `query($id: ID!) {
  recallScope(lotId: $id) {
    lotIds batches finishedBatches shipments customers openSalesOrders workOrders
  }
}`;

const RECORD = `mutation($input: RecordProductionInput!) {
  recordProduction(input: $input) {
    __typename
    ... on Batch { id }
    ... on ValidationError { field message }
    ... on NotFoundError { message }
    ... on ConflictError { message }
  }
}`;

const RECALL_KINDS = {
  finishedBatches: "finished_batch",
  shipments: "shipment",
  customers: "customer",
  openSalesOrders: "open_sales_order",
  workOrders: "work_order",
  batches: "batch",
  lotIds: "lot",
};

/** @type {import("playwright-core").Browser} */
let browser;
/** @type {Awaited<ReturnType<typeof newContext>>} */
let opened;
/** @type {import("playwright-core").Page} */
let page;
/** @type {{ lots: string[], supplierLot: string | null, first: string, second: string }} */
let made;

async function record(input) {
  const { recordProduction: result } = await service.gql(RECORD, { input });
  assert.equal(result.__typename, "Batch", `recordProduction refused: ${JSON.stringify(result)}`);
  return result.id;
}

/** A released work order with a machine, two available unused lots, and two batches. */
async function buildGenealogy() {
  const { workOrders } = await service.gql(`{
    workOrders(filter: { statuses: [RELEASED, IN_PROGRESS] }, first: 50) {
      nodes { id operations { machine { id } } }
    }
  }`);
  const order = workOrders.nodes.find((w) => w.operations.some((o) => o.machine));
  assert.ok(order, "the demo has no released work order with a machine");
  const machineId = order.operations.find((o) => o.machine).machine.id;
  const { materialLots } = await service.gql(`{
    materialLots(filter: { statuses: [AVAILABLE] }, first: 200,
                 orderBy: { field: ID, direction: DESC }) {
      nodes { id quantity supplierLot consumedBy { id } }
    }
  }`);
  const lots = materialLots.nodes.filter((l) => l.quantity >= 2 && l.consumedBy.length === 0);
  assert.ok(lots.length >= 2, "the demo has fewer than two unused available lots");
  const [a, b] = lots;
  const stamp = `${Date.now()}-${process.pid}`;
  const now = Date.now();
  const at = (minutesAgo) => new Date(now - minutesAgo * 60_000).toISOString();
  const first = await record({
    idempotencyKey: `e2e-trace-${stamp}-1`,
    workOrderId: order.id,
    machineId,
    quantity: 5,
    startedAt: at(30),
    completedAt: at(20),
    consumed: [
      { lotId: a.id, quantity: 1 },
      { lotId: b.id, quantity: 1 },
    ],
  });
  const second = await record({
    idempotencyKey: `e2e-trace-${stamp}-2`,
    workOrderId: order.id,
    machineId,
    quantity: 2,
    startedAt: at(15),
    completedAt: at(5),
    consumed: [{ batchId: first, quantity: 1 }],
  });
  return { lots: [a.id, b.id], supplierLot: a.supplierLot, first, second };
}

const apiTrace = async (id, direction, depth = null) =>
  (await service.gql(TRACE, { id, direction, depth })).trace;

const nodeKeys = (nodes) => nodes.map((n) => `${n.id}@${n.depth}`).sort();
const edgeKeys = (edges) => edges.map((e) => `${e.source}-${e.type}->${e.target}`).sort();
const apiEdges = (trace) =>
  trace.edges.map((e) => ({ source: e.sourceId, type: e.type, target: e.targetId }));

/** The drawn graph once it is drawn for `maxDepth` (null: whatever it is). */
async function drawnGraph(maxDepth = null) {
  const graph = page.locator('[data-testid="trace-graph"][data-drawn="true"]');
  await graph.waitFor({ timeout: 30_000 });
  if (maxDepth !== null && (await graph.getAttribute("data-max-depth")) !== String(maxDepth)) {
    return null;
  }
  return page.evaluate(() => window.__fgTraceElements?.() ?? null);
}

/** Every row of the virtualised table (scrolled through), as { id, depth }. */
async function tableRows() {
  await page.getByTestId("trace-table").waitFor();
  return page.evaluate(async () => {
    const scroller = document.querySelector('[data-testid="trace-table"]');
    const rows = new Map();
    scroller.scrollTop = 0;
    for (let i = 0; i < 2_000; i++) {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      for (const tr of scroller.querySelectorAll('[data-testid="trace-row"]')) {
        rows.set(tr.dataset.nodeId, Number(tr.dataset.depth));
      }
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) break;
      scroller.scrollTop += Math.max(50, scroller.clientHeight * 0.8);
    }
    return [...rows].map(([id, depth]) => ({ id, depth }));
  });
}

/** Open the trace page for these URL parameters and wait until the graph equals the API's. */
async function expectGraphMatches(id, direction, depth = null, extra = "") {
  const dir = direction === "UPSTREAM" ? "up" : "down";
  const query = `id=${encodeURIComponent(id)}&dir=${dir}${depth === null ? "" : `&depth=${depth}`}`;
  await page.goto(`${service.base}/trace?${query}${extra}`);
  return eventually(
    async () => {
      const api = await apiTrace(id, direction, depth);
      const drawn = await drawnGraph(api.maxDepth);
      if (!drawn) return false;
      assert.deepEqual(nodeKeys(drawn.nodes), nodeKeys(api.nodes));
      assert.deepEqual(edgeKeys(drawn.edges), edgeKeys(apiEdges(api)));
      return { api, drawn };
    },
    { what: `the drawn ${direction} trace of ${id} to equal the API's`, timeoutMs: 45_000 },
  );
}

async function cutByApi(id, direction, trace) {
  if (trace.maxDepth >= 25) return null;
  const deeper = await apiTrace(id, direction, trace.maxDepth + 1);
  return deeper.nodeCount > trace.nodeCount;
}

/** RFC 4180 rows of a CSV text. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

async function downloadCsv(buttonName) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: buttonName }).click(),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), rows: parseCsv(await readFile(path, "utf8")) };
}

before(async () => {
  made = await buildGenealogy();
  browser = await launchBrowser();
  opened = await newContext(browser, service.base, { acceptDownloads: true });
  page = await opened.context.newPage();
  await signIn(page, service.base, service.token, "/trace");
});

after(async () => {
  await browser?.close();
});

describe("trace explorer", () => {
  test("shows the page's empty state and the search form", async () => {
    await page.goto(`${service.base}/trace`);
    await page.getByRole("heading", { level: 1, name: "Trace explorer" }).waitFor();
    await page.getByLabel("Lot id, batch id or supplier lot number").waitFor();
    assert.equal(await page.getByTestId("trace-graph").count(), 0);
  });

  test("upstream from the second batch: graph and table equal the API's trace", async () => {
    const { api, drawn } = await expectGraphMatches(made.second, "UPSTREAM");
    const ids = new Set(api.nodes.map((n) => n.id));
    for (const id of [made.second, made.first, ...made.lots]) assert.ok(ids.has(id), id);
    assert.equal(api.nodes.find((n) => n.id === made.second).depth, 0);
    assert.equal(api.nodes.find((n) => n.id === made.first).depth, 1);
    // the layout: one column per depth, further right the deeper
    const xByDepth = new Map();
    for (const n of drawn.nodes) {
      const xs = xByDepth.get(n.depth) ?? new Set();
      xs.add(n.x);
      xByDepth.set(n.depth, xs);
    }
    const depths = [...xByDepth.keys()].sort((a, b) => a - b);
    for (const d of depths) assert.equal(xByDepth.get(d).size, 1, `depth ${d} in one column`);
    for (let i = 1; i < depths.length; i++) {
      assert.ok([...xByDepth.get(depths[i])][0] > [...xByDepth.get(depths[i - 1])][0]);
    }
    const graph = page.getByTestId("trace-graph");
    assert.equal(await graph.getAttribute("data-node-count"), String(api.nodes.length));
    assert.equal(await graph.getAttribute("data-edge-count"), String(api.edges.length));

    // per-depth counts as the API's nodes give them
    const perDepth = new Map();
    for (const n of api.nodes) perDepth.set(n.depth, (perDepth.get(n.depth) ?? 0) + 1);
    for (const [depth, count] of perDepth) {
      const cell = page.locator(`[data-testid="trace-depth-counts"] td[data-depth="${depth}"]`);
      assert.equal(await cell.getAttribute("data-count"), String(count));
    }

    // hover: the single start sits on the graph's middle line, leftmost (columns are centred)
    const box = await graph.boundingBox();
    const tooltip = page.getByTestId("trace-tooltip");
    let hit = null;
    for (let x = box.x + 2; x < box.x + box.width / 3 && !hit; x += 3) {
      await page.mouse.move(x, box.y + box.height / 2);
      if (await tooltip.count()) hit = x;
    }
    assert.ok(hit, "hovering the start node shows a tooltip");
    assert.ok((await tooltip.textContent()).startsWith(made.second));
    await page.mouse.click(hit, box.y + box.height / 2);
    await page.waitForURL(new RegExp(`node=${made.second}`));
    await page.mouse.move(box.x + box.width - 5, box.y + 5);

    assert.deepEqual(await axeViolations(page), [], "axe, graph view");
    await screenshot(page, "trace");

    await page.getByRole("button", { name: "Table", exact: true }).click();
    await page.waitForURL(/view=table/);
    const rows = await tableRows();
    assert.deepEqual(nodeKeys(rows), nodeKeys(api.nodes));
    assert.deepEqual(await axeViolations(page), [], "axe, table view");

    // sorting by kind keeps every row, in label order
    await page.getByRole("button", { name: /^Kind/ }).click();
    await page.waitForURL(/sort=label/);
    const labels = await page
      .getByTestId("trace-row")
      .evaluateAll((trs) => trs.map((tr) => tr.dataset.label));
    assert.deepEqual(labels, [...labels].sort());

    // selecting a node puts it in the URL and the side panel, with a link to its page
    await page.getByRole("button", { name: `Details of ${made.first}` }).click();
    await page.waitForURL(new RegExp(`node=${made.first}`));
    const panel = page.getByTestId("trace-selected");
    await eventually(async () => (await panel.getAttribute("data-node-id")) === made.first, {
      what: "the selected node's panel",
    });
    assert.equal(
      await panel.getByTestId("trace-selected-link").getAttribute("href"),
      `/trace?id=${made.first}`,
    );
  });

  test("downstream from a lot: graph and table equal the API's trace", async () => {
    const lot = made.lots[0];
    const { api } = await expectGraphMatches(lot, "DOWNSTREAM");
    await page.getByRole("button", { name: "Table", exact: true }).click();
    const ids = new Set(api.nodes.map((n) => n.id));
    assert.ok(ids.has(made.first) && ids.has(made.second));
    assert.equal(api.nodes.find((n) => n.id === made.second).depth, 2);
    await eventually(
      async () => {
        const fresh = await apiTrace(lot, "DOWNSTREAM");
        assert.deepEqual(nodeKeys(await tableRows()), nodeKeys(fresh.nodes));
        return true;
      },
      { what: "the table to list the API's downstream trace" },
    );
  });

  test("the depth control changes the query; the cut banner shows exactly when cut", async () => {
    await page.goto(`${service.base}/trace?id=${made.second}&dir=up`);
    await drawnGraph();
    const depthInput = page.getByLabel(/Max depth/);
    for (const depth of [1, 2]) {
      await depthInput.fill(String(depth));
      await page.waitForURL(new RegExp(`depth=${depth}`));
      const { api } = await eventually(
        async () => {
          const fresh = await apiTrace(made.second, "UPSTREAM", depth);
          const drawn = await drawnGraph(depth);
          if (!drawn) return false;
          assert.deepEqual(nodeKeys(drawn.nodes), nodeKeys(fresh.nodes));
          assert.deepEqual(edgeKeys(drawn.edges), edgeKeys(apiEdges(fresh)));
          return { api: fresh };
        },
        { what: `the depth-${depth} trace` },
      );
      assert.equal(api.maxDepth, depth);
      const cut = await cutByApi(made.second, "UPSTREAM", api);
      const banner = page.getByTestId("trace-cut");
      if (cut) {
        await banner.waitFor();
        assert.match(await banner.textContent(), new RegExp(`depth ${depth}`));
      } else {
        // the banner waits for the one-level-deeper count: give it time to (not) appear
        await page.waitForLoadState("networkidle");
        await page.waitForTimeout(500);
        assert.equal(await banner.count(), 0, `no cut banner at depth ${depth}`);
      }
      if (depth === 1) assert.equal(cut, true, "batch 1 at depth 1 consumed two lots");
    }
  });

  test("a supplier lot number traces from its lots", async (t) => {
    if (!made.supplierLot) return t.skip("the lot has no supplier lot number");
    const { api } = await expectGraphMatches(made.supplierLot, "DOWNSTREAM");
    assert.ok(api.startIds.includes(made.lots[0]));
  });

  test("an unknown id shows the API's message", async () => {
    const id = `NO-SUCH-LOT-${Date.now()}`;
    const response = await fetch(`${service.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", Authorization: `Bearer ${service.token}` },
      body: JSON.stringify({ query: TRACE, variables: { id, direction: "UPSTREAM" } }),
    });
    const message = (await response.json()).errors[0].message;
    await page.goto(`${service.base}/trace?id=${id}&dir=up`);
    const alert = page.locator(".state-error[role=alert]");
    await alert.waitFor();
    assert.ok((await alert.textContent()).includes(message), await alert.textContent());
    assert.equal(await page.getByTestId("trace-recall").count(), 0);
  });

  test("the recall scope shows what recallScope returns", async () => {
    const lot = made.lots[0];
    await page.goto(`${service.base}/trace?id=${lot}&dir=down`);
    await eventually(
      async () => {
        const { recallScope } = await service.gql(RECALL, { id: lot });
        for (const key of Object.keys(RECALL_KINDS)) {
          const list = page.getByTestId(`recall-${key}`);
          if ((await list.count()) === 0) return false;
          assert.equal(await list.getAttribute("data-count"), String(recallScope[key].length));
          const shown = await list.locator("a").evaluateAll((as) => as.map((a) => a.textContent));
          assert.deepEqual(shown, recallScope[key].slice(0, 200), key);
        }
        assert.ok(recallScope.batches.includes(made.first));
        assert.ok(recallScope.batches.includes(made.second));
        return true;
      },
      { what: "the recall scope to equal the API's" },
    );
  });

  test("CSV exports download the trace's nodes and edges and the recall scope", async () => {
    const lot = made.lots[0];
    await page.goto(`${service.base}/trace?id=${lot}&dir=down`);
    await drawnGraph();
    await eventually(
      async () => {
        const api = await apiTrace(lot, "DOWNSTREAM");
        const nodes = await downloadCsv("Export nodes (CSV)");
        assert.match(nodes.name, /\.csv$/);
        assert.deepEqual(nodes.rows[0], ["id", "label", "depth", "status", "properties"]);
        assert.deepEqual(
          nodes.rows
            .slice(1)
            .map(([id, label, depth]) => `${id}|${label}|${depth}`)
            .sort(),
          api.nodes.map((n) => `${n.id}|${n.label}|${n.depth}`).sort(),
        );
        const edges = await downloadCsv("Export edges (CSV)");
        assert.deepEqual(edges.rows[0], ["source", "type", "target", "properties"]);
        assert.deepEqual(
          edges.rows
            .slice(1)
            .map(([source, type, target]) => ({ source, type, target }))
            .map((e) => `${e.source}-${e.type}->${e.target}`)
            .sort(),
          edgeKeys(apiEdges(api)),
        );
        return true;
      },
      { what: "the trace CSVs to equal the API's trace" },
    );
    await eventually(
      async () => {
        const { recallScope } = await service.gql(RECALL, { id: lot });
        const button = page.getByRole("button", { name: "Export recall scope (CSV)" });
        if (await button.isDisabled()) return false;
        const recall = await downloadCsv("Export recall scope (CSV)");
        assert.deepEqual(recall.rows[0], ["kind", "id"]);
        const expected = Object.entries(RECALL_KINDS).flatMap(([key, kind]) =>
          recallScope[key].map((id) => `${kind},${id}`),
        );
        assert.deepEqual(
          recall.rows.slice(1).map((r) => r.join(",")),
          expected,
        );
        return true;
      },
      { what: "the recall CSV to equal the API's recall scope" },
    );
  });

  test("no request left the origin and the page raised no error", () => {
    assert.deepEqual(opened.offOrigin, []);
    assert.deepEqual(opened.errors, []);
  });
});
