// The orders pages against the shared demo service: the list shows the sales orders (and
// the totalCount) the API returns for the default view and for filters set in the page; a
// sales order drills down to its work orders, their operations and batches (compared with
// API reads) and on to a batch's trace link; a work order's progress follows a
// recordProduction live, without a reload; the search box opens a sales order's page and a
// customer's filtered list; every page passes axe with no request leaving the origin.
//
// Values come from API reads made during the test, never from fixed demo values.
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

const LIST = `query($filter: SalesOrderFilter, $orderBy: SalesOrderOrder) {
  salesOrders(filter: $filter, orderBy: $orderBy, first: 100) { totalCount nodes { id } }
}`;

const SALES_ORDER = `query($id: ID!) {
  salesOrder(id: $id) {
    id status late priority
    customer { id name }
    lines { product { id } quantity }
    risk { level alerts { id } }
  }
  workOrders(filter: { salesOrderId: $id }, orderBy: { field: PLANNED_START, direction: ASC }, first: 100) {
    totalCount
    nodes {
      id status
      operations { id sequence name status machine { id } }
      batches { id status quantity machine { id } }
    }
  }
}`;

const WITH_BATCHES = `{
  salesOrders(filter: { statuses: [IN_PRODUCTION, SHIPPED, CLOSED] }, orderBy: { field: DUE_AT, direction: DESC }, first: 100) {
    nodes { id customer { id name } risk { alerts { id } } workOrders { id batches { id } } }
  }
}`;

const PRODUCIBLE = `{
  workOrders(filter: { statuses: [RELEASED, IN_PROGRESS] }, first: 50) {
    nodes { id status quantity operations { machine { id } } progress { producedQuantity } }
  }
  materialLots(filter: { statuses: [AVAILABLE] }, orderBy: { field: QUANTITY, direction: DESC }, first: 5) {
    nodes { id quantity }
  }
}`;

const PROGRESS = `query($id: ID!) {
  workOrder(id: $id) { id status progress { producedQuantity plannedQuantity fraction } batches { id } }
}`;

const RECORD = `mutation($input: RecordProductionInput!) {
  recordProduction(input: $input) {
    __typename
    ... on Batch { id quantity workOrder { id } }
    ... on ValidationError { field message }
    ... on NotFoundError { message ids }
    ... on ConflictError { message }
  }
}`;

/** @type {import("playwright-core").Browser} */
let browser;
let context;
let offOrigin;
let errors;
let page;
let viewer;

before(async () => {
  viewer = service.tokenFor("viewer", "e2e orders viewer");
  browser = await launchBrowser();
  ({ context, offOrigin, errors } = await newContext(browser, service.base));
  page = await context.newPage();
  await signIn(page, service.base, viewer, "/orders");
});

after(async () => {
  await browser?.close();
});

/** The order ids of the list in row order, scrolling the virtualised table end to end. */
async function listedIds() {
  await page.getByTestId("orders-scroll").waitFor();
  return page.evaluate(async () => {
    const scroller = document.querySelector('[data-testid="orders-scroll"]');
    const byIndex = new Map();
    const settle = () => new Promise((r) => setTimeout(r, 60));
    scroller.scrollTop = 0;
    for (let step = 0; step < 400; step += 1) {
      await settle();
      for (const row of scroller.querySelectorAll('[data-testid="order-row"]')) {
        byIndex.set(Number(row.dataset.index), row.dataset.orderId);
      }
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2) break;
      scroller.scrollTop += Math.max(50, scroller.clientHeight * 0.7);
    }
    scroller.scrollTop = 0;
    return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, id]) => id);
  });
}

async function shownTotal() {
  const total = page.getByTestId("orders-total");
  if ((await total.count()) === 0) return null;
  return Number(await total.getAttribute("data-total"));
}

/** The page and a fresh API read agree on the ids (in order) and the total. */
async function listMatchesApi(variables, what) {
  return eventually(
    async () => {
      const { salesOrders } = await service.gql(LIST, variables, viewer);
      const ids = salesOrders.nodes.map((n) => n.id);
      const total = await shownTotal();
      if (total !== salesOrders.totalCount) return false;
      if (ids.length === 0) return (await page.locator(".state-empty").count()) > 0 && { ids };
      const shown = await listedIds();
      return JSON.stringify(shown) === JSON.stringify(ids) && { ids, total };
    },
    { what, timeoutMs: 30_000, everyMs: 500 },
  );
}

test("the list shows the API's orders for the default view and for filters", async () => {
  await page.goto(`${service.base}/orders`);
  const all = await listMatchesApi(
    { filter: {}, orderBy: { field: "DUE_AT", direction: "DESC" } },
    "default view",
  );
  assert.ok(all.ids.length > 0, "the demo has sales orders");
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, "orders");

  // Late only, through the page's control: the URL says it and the rows follow the API.
  await page.getByLabel("Lateness").selectOption("true");
  await page.waitForURL(/late=true/);
  await listMatchesApi(
    { filter: { late: true }, orderBy: { field: "DUE_AT", direction: "DESC" } },
    "late=true",
  );

  // Add a status and an ascending due-date sort.
  await page.getByRole("checkbox", { name: "In production" }).check();
  await page.getByLabel("Direction").selectOption("ASC");
  await page.waitForURL(
    (url) => url.search.includes("status=IN_PRODUCTION") && /dir=ASC/.test(url.search),
  );
  await listMatchesApi(
    {
      filter: { late: true, statuses: ["IN_PRODUCTION"] },
      orderBy: { field: "DUE_AT", direction: "ASC" },
    },
    "late in production, due ascending",
  );

  // A deep link with a status filter alone.
  await page.goto(`${service.base}/orders?status=CLOSED,SHIPPED&sort=ID&dir=ASC`);
  await listMatchesApi(
    { filter: { statuses: ["SHIPPED", "CLOSED"] }, orderBy: { field: "ID", direction: "ASC" } },
    "closed or shipped by id",
  );

  // Paging: next 100 shows the API's second page.
  const { salesOrders } = await service.gql(
    `{ salesOrders(first: 100, orderBy: { field: DUE_AT, direction: DESC }) { totalCount pageInfo { endCursor } } }`,
    {},
    viewer,
  );
  if (salesOrders.totalCount > 100) {
    await page.goto(`${service.base}/orders`);
    await page.getByTestId("order-row").first().waitFor();
    await page.getByRole("button", { name: /Next 100/ }).click();
    await page.waitForURL(/after=/);
    const second = await service.gql(
      `query($after: String) { salesOrders(first: 100, after: $after, orderBy: { field: DUE_AT, direction: DESC }) { nodes { id } } }`,
      { after: salesOrders.pageInfo.endCursor },
      viewer,
    );
    await eventually(
      async () =>
        JSON.stringify(await listedIds()) ===
        JSON.stringify(second.salesOrders.nodes.map((n) => n.id)),
      { what: "second page" },
    );
  }
});

test("a sales order drills down to work orders, operations, batches and a trace link", async () => {
  const { salesOrders } = await service.gql(WITH_BATCHES, {}, viewer);
  const withBatches = salesOrders.nodes.filter((o) => o.workOrders.some((w) => w.batches.length));
  // One with risk alerts when there is one, so their links are checked too.
  const chosen = withBatches.find((o) => o.risk.alerts.length) ?? withBatches[0];
  assert.ok(chosen, "some sales order has a work order with batches");

  // From the list, filtered to its id, to its page.
  await page.goto(`${service.base}/orders?q=${encodeURIComponent(chosen.id)}`);
  await page
    .locator(`[data-testid="order-row"][data-order-id="${chosen.id}"] a`, { hasText: chosen.id })
    .click();
  await page.waitForURL(new RegExp(`/orders/${chosen.id}$`));

  const read = await service.gql(SALES_ORDER, { id: chosen.id }, viewer);
  const so = read.salesOrder;
  await page.getByTestId("sales-order").waitFor();
  assert.equal(await page.getByTestId("sales-order-status").getAttribute("data-status"), so.status);
  assert.equal(
    await page.getByTestId("customer-link").getAttribute("data-customer-id"),
    so.customer.id,
  );
  assert.equal(
    await page.getByTestId("sales-order-risk").getAttribute("data-risk"),
    so.risk.level ?? "",
  );
  assert.equal(await page.getByTestId("late-flag").count(), so.late ? 1 : 0);
  const lines = await page
    .locator('[data-testid="sales-order-lines"] tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.dataset.productId));
  assert.deepEqual(
    lines,
    so.lines.map((l) => l.product.id),
  );
  if (so.risk.alerts.length) {
    const alertLinks = await page
      .locator('[data-testid="risk-alerts"] a')
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    assert.deepEqual(
      alertLinks,
      so.risk.alerts.map((a) => `/alerts?alert=${encodeURIComponent(a.id)}`),
    );
  }

  const shown = await page.getByTestId("work-order").evaluateAll((sections) =>
    sections.map((s) => ({
      id: s.dataset.workOrderId,
      status: s.querySelector('[data-testid="work-order-status"]').dataset.status,
      operations: [...s.querySelectorAll('[data-testid="operation-row"]')].map((r) => ({
        id: r.dataset.operationId,
        sequence: Number(r.querySelector('[data-col="sequence"]').textContent),
        name: r.querySelector('[data-col="name"]').textContent,
        status: r.querySelector('[data-col="status"] [data-status]').dataset.status,
        machine: r.querySelector('[data-col="machine"] a')?.dataset.machineId ?? null,
      })),
      batches: [...s.querySelectorAll('[data-testid="batch-row"]')].map((r) => ({
        id: r.dataset.batchId,
        status: r.querySelector('[data-col="status"] [data-status]').dataset.status,
        quantity: Number(r.querySelector('[data-col="quantity"]').dataset.value),
        machine: r.querySelector('[data-col="machine"] a')?.dataset.machineId ?? null,
        trace: r.querySelector('[data-testid="trace-link"]').getAttribute("href"),
      })),
    })),
  );
  assert.deepEqual(
    shown,
    read.workOrders.nodes.map((wo) => ({
      id: wo.id,
      status: wo.status,
      operations: wo.operations.map((op) => ({
        id: op.id,
        sequence: op.sequence,
        name: op.name,
        status: op.status,
        machine: op.machine?.id ?? null,
      })),
      batches: wo.batches.map((b) => ({
        id: b.id,
        status: b.status,
        quantity: b.quantity,
        machine: b.machine?.id ?? null,
        trace: `/trace?id=${encodeURIComponent(b.id)}`,
      })),
    })),
  );
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, "sales-order");

  // Machine links go to the machine's page; a batch's id opens its trace.
  const firstMachine = page.locator('[data-testid="operation-row"] [data-col="machine"] a').first();
  assert.match(await firstMachine.getAttribute("href"), /^\/machines\/[^/]+$/);
  const batch = read.workOrders.nodes.flatMap((wo) => wo.batches)[0];
  await page
    .locator(`[data-testid="batch-row"][data-batch-id="${batch.id}"] [data-testid="trace-link"]`)
    .click();
  await page.waitForURL(
    (url) => url.pathname === "/trace" && url.searchParams.get("id") === batch.id,
  );
});

test("a work order's progress follows recordProduction live, without a reload", async () => {
  const { workOrders, materialLots } = await service.gql(PRODUCIBLE, {}, viewer);
  const wo = workOrders.nodes.find((w) => w.operations.some((op) => op.machine));
  const lot = materialLots.nodes.find((l) => l.quantity >= 1);
  assert.ok(wo, "a released or in-progress work order with a machine");
  assert.ok(lot, "an available lot with quantity");
  const machineId = wo.operations.find((op) => op.machine).machine.id;

  await page.goto(`${service.base}/work-orders/${encodeURIComponent(wo.id)}`);
  const progress = page.getByTestId("progress");
  await progress.waitFor();
  await eventually(
    async () => {
      const { workOrder } = await service.gql(PROGRESS, { id: wo.id }, viewer);
      return (
        Number(await progress.getAttribute("data-produced")) === workOrder.progress.producedQuantity
      );
    },
    { what: "initial progress equals the API's" },
  );
  assert.deepEqual(await axeViolations(page), []);
  await page.getByTestId("connection-status").filter({ hasText: "Live" }).waitFor();
  await page.evaluate(() => {
    window.__ordersNoReload = true;
  });

  const operator = service.tokenFor("operator", "e2e orders operator");
  const now = Date.now();
  const quantity = Math.max(1, Math.round(wo.quantity / 10));
  const recorded = await service.gql(
    RECORD,
    {
      input: {
        idempotencyKey: `e2e-orders-${now}`,
        workOrderId: wo.id,
        machineId,
        quantity,
        startedAt: new Date(now - 60_000).toISOString(),
        completedAt: new Date(now).toISOString(),
        consumed: [{ lotId: lot.id, quantity: Math.min(0.5, lot.quantity / 10) }],
      },
    },
    operator,
  );
  assert.equal(recorded.recordProduction.__typename, "Batch", JSON.stringify(recorded));
  const batchId = recorded.recordProduction.id;

  const { workOrder } = await service.gql(PROGRESS, { id: wo.id }, viewer);
  assert.ok(workOrder.batches.some((b) => b.id === batchId));
  await eventually(
    async () =>
      Number(await progress.getAttribute("data-produced")) === workOrder.progress.producedQuantity,
    { what: "progress after recordProduction", timeoutMs: 20_000 },
  );
  assert.equal(
    Number(await progress.getAttribute("data-planned")),
    workOrder.progress.plannedQuantity,
  );
  // The new batch shows up too (the page refetched on the live event), with its trace link.
  await page
    .locator(`[data-testid="batch-row"][data-batch-id="${batchId}"]`)
    .waitFor({ timeout: 20_000 });
  assert.equal(
    await page.getByTestId("work-order-status").getAttribute("data-status"),
    workOrder.status,
  );
  assert.equal(await page.evaluate(() => window.__ordersNoReload), true, "no reload");
});

test("the search box opens a sales order and a customer's orders", async () => {
  const { salesOrders } = await service.gql(WITH_BATCHES, {}, viewer);
  const order = salesOrders.nodes.find((o) => o.customer);
  const search = page.getByLabel("Search by id or supplier lot number");

  await page.goto(`${service.base}/orders`);
  await search.fill(order.id);
  await search.press("Enter");
  await page.waitForURL(new RegExp(`/orders/${order.id}$`));
  assert.equal(await page.getByTestId("sales-order-id").textContent(), order.id);
  await page.getByTestId("sales-order").waitFor();

  const customer = order.customer;
  await search.fill(customer.id);
  await search.press("Enter");
  await page.waitForURL(
    (url) => url.pathname === "/orders" && url.searchParams.get("customer") === customer.id,
  );
  await page.getByTestId("customer-header").waitFor();
  assert.equal(await page.getByTestId("customer-name").textContent(), customer.name);
  await listMatchesApi(
    { filter: { customerId: customer.id }, orderBy: { field: "DUE_AT", direction: "DESC" } },
    "the customer's orders",
  );
  assert.deepEqual(await axeViolations(page), []);
});

test("unknown ids get a clear empty state; nothing left the origin", async () => {
  await page.goto(`${service.base}/work-orders/WO-NOPE-404`);
  await page.getByTestId("work-order-missing").waitFor();
  await page.goto(`${service.base}/orders/SO-NOPE-404`);
  await page
    .getByText("No sales order has the id")
    .waitFor({ timeout: 15_000 })
    .catch(async (error) => {
      // Say what the page showed instead (a build swapping dist/ under the test, an error).
      console.log(`the page showed: ${await page.locator("main").textContent()}`);
      throw error;
    });
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(offOrigin, []);
  assert.deepEqual(errors, []);
});
