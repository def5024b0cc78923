// The alerts page against the shared demo service (a tiny promoted model scores the plant and
// raises risk alerts): the list shows the alerts the API returns, the explanation panel the
// top features the API gives, an acknowledgement made in one browser reaches another one
// live (no reload), a viewer gets no enabled acknowledge button, and the page passes axe
// with no request leaving the origin.
//
// Every expectation is read back from the API; with no alert at all the tests fail (they
// would otherwise pass on an empty page).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  axeViolations,
  browserForFile,
  eventually,
  screenshot,
  sharedService,
  signIn,
} from "./harness.mjs";

const service = sharedService();
/** How long the shared service may take to raise its first alert. */
const FIRST_ALERT_TIMEOUT_MS = 180_000;
/** Lists longer than this are windowed (src/ui/WindowedRows.tsx): not every row is drawn. */
const WINDOW_AFTER_ROWS = 150;

const ALERTS = `{
  riskAlerts(first: 500, orderBy: { field: CREATED_AT, direction: DESC }) {
    totalCount
    nodes { id acknowledged closedAt }
  }
}`;

const ALERT = `query($id: ID!) {
  riskAlert(id: $id) {
    id acknowledged
    explanation {
      topFeatures { name value contribution }
      drivers { nodeType id contribution }
    }
    salesOrders { id }
  }
}`;

const freshPage = browserForFile(service.base);

const rowIds = (page) =>
  page
    .getByTestId("alert-row")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-alert-id")));

/** Wait for the first alert row; on a timeout, say what the page shows instead. */
async function firstRow(page, timeout = 30_000) {
  try {
    await page.getByTestId("alert-row").first().waitFor({ timeout });
  } catch (error) {
    const shown = (
      (await page
        .locator("main")
        .textContent()
        .catch(() => "")) ?? ""
    ).slice(0, 400);
    throw new Error(`no alert row on ${page.url()} (the page shows: ${shown}): ${error.message}`);
  }
}

const rowOf = (page, id) => page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);

/**
 * The alert tests need alerts: wait (once, shared by the tests) for the model's first scoring
 * passes. Without one each test fails with this message, counted as a failure, never a pass.
 */
let waitedForAlerts = null;
function alertsReady() {
  waitedForAlerts ??= (async () => {
    const started = Date.now();
    for (;;) {
      const data = await service.gql(ALERTS);
      if (data.riskAlerts.nodes.some((a) => !a.acknowledged)) return;
      if (Date.now() - started > FIRST_ALERT_TIMEOUT_MS) {
        const { foresight } = await service.gql("{ foresight { state modelVersion message } }");
        throw new Error(
          `no unacknowledged risk alert in the shared e2e service after ${FIRST_ALERT_TIMEOUT_MS / 1000} s ` +
            `(${data.riskAlerts.totalCount} alerts; foresight ${JSON.stringify(foresight)}): ` +
            "the alert tests need a promoted model that raises alerts",
        );
      }
      await new Promise((r) => setTimeout(r, 2_000));
    }
  })();
  return waitedForAlerts;
}

describe("alerts page", () => {
  test("lists the alerts the API returns, with its counts", async () => {
    await alertsReady();
    const { page, offOrigin, errors } = await freshPage();
    await signIn(page, service.base, service.token, "/alerts?show=all");
    await firstRow(page);
    // The scorer may open or close alerts meanwhile: retry until one API read and the page agree.
    await eventually(
      async () => {
        const { riskAlerts } = await service.gql(ALERTS);
        const expected = riskAlerts.nodes.map((a) => a.id);
        const shown = await rowIds(page);
        const total = Number(await page.getByTestId("alert-count-total").textContent());
        if (total !== riskAlerts.totalCount) return false;
        if (expected.length <= WINDOW_AFTER_ROWS) {
          return JSON.stringify([...shown].sort()) === JSON.stringify([...expected].sort());
        }
        // Windowed: the rows drawn are the newest ones, in the API's order.
        return shown.length > 0 && shown.every((id, i) => id === expected[i]);
      },
      { timeoutMs: 30_000, what: "the page's alert ids to equal the API's" },
    );
    const open = (await service.gql(ALERTS)).riskAlerts.nodes.filter(
      (a) => !a.acknowledged && !a.closedAt,
    ).length;
    await eventually(
      async () => Number(await page.getByTestId("alert-count-open").textContent()) === open,
      { timeoutMs: 15_000, what: "the open count to equal the API's" },
    );
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, "alerts");
    assert.deepEqual(offOrigin, []);
    assert.deepEqual(errors, []);
  });

  test("the severity filter and search narrow the list as the view state in the URL says", async () => {
    await alertsReady();
    const { page, offOrigin } = await freshPage();
    await signIn(page, service.base, service.token, "/alerts?show=all");
    await firstRow(page);
    const ids = await rowIds(page);
    const target = ids[0];
    await page.getByTestId("alert-search").fill(target);
    await eventually(async () => new URL(page.url()).searchParams.get("q") === target, {
      what: "?q= in the URL",
    });
    await eventually(async () => JSON.stringify(await rowIds(page)) === JSON.stringify([target]), {
      what: "only the searched alert",
    });
    await page.getByTestId("alert-filter-severity").selectOption("CRITICAL");
    assert.equal(new URL(page.url()).searchParams.get("severity"), "CRITICAL");
    const { riskAlert } = await service.gql(`query($id: ID!) { riskAlert(id: $id) { severity } }`, {
      id: target,
    });
    await eventually(
      async () => (await rowIds(page)).length === (riskAlert.severity === "CRITICAL" ? 1 : 0),
      { what: "the severity filter to apply" },
    );
    assert.deepEqual(offOrigin, []);
  });

  test("the explanation panel shows the alert's top features as the API returns them", async () => {
    await alertsReady();
    const { page, offOrigin } = await freshPage();
    await signIn(page, service.base, service.token, "/alerts?show=all");
    await firstRow(page);
    // An alert the API explains with features (the first listed one if none does).
    const ids = await rowIds(page);
    let chosen = null;
    for (const id of ids) {
      const { riskAlert } = await service.gql(ALERT, { id });
      if (riskAlert?.explanation?.topFeatures.length) {
        chosen = riskAlert;
        break;
      }
    }
    assert.ok(chosen, `no listed alert has an explanation with features (${ids.length} listed)`);
    await rowOf(page, chosen.id).locator("td.alert-message a").click();
    assert.equal(new URL(page.url()).searchParams.get("alert"), chosen.id);
    const panel = page.getByTestId("alert-panel");
    await panel.getByTestId("alert-feature").first().waitFor();
    const features = await panel.getByTestId("alert-feature").evaluateAll((rows) =>
      rows.map((r) => ({
        name: r.getAttribute("data-feature-name"),
        contribution: Number(
          r.querySelector("[data-contribution]")?.getAttribute("data-contribution"),
        ),
      })),
    );
    assert.deepEqual(
      features,
      chosen.explanation.topFeatures.map((f) => ({ name: f.name, contribution: f.contribution })),
    );
    const drivers = await panel
      .getByTestId("alert-driver")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-driver-id")));
    assert.deepEqual(
      drivers,
      chosen.explanation.drivers.map((d) => d.id),
    );
    // Drivers link to their own pages (the model's node types are snake_case labels).
    const pages = { machine: "/machines/", batch: "/trace?id=", material_lot: "/trace?id=" };
    for (const d of chosen.explanation.drivers) {
      const prefix = pages[d.nodeType];
      if (!prefix) continue;
      assert.equal(
        await panel.locator(`[data-driver-id="${d.id}"] a`).getAttribute("href"),
        prefix + encodeURIComponent(d.id),
      );
    }
    const orders = await panel
      .getByTestId("alert-order")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-order-id")));
    assert.deepEqual(
      orders,
      chosen.salesOrders.map((o) => o.id),
    );
    for (const id of orders) {
      assert.equal(
        await panel.locator(`[data-order-id="${id}"] a`).getAttribute("href"),
        `/orders/${encodeURIComponent(id)}`,
      );
    }
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(offOrigin, []);
  });

  test("an acknowledgement in one browser reaches a planner's browser live", async () => {
    await alertsReady();
    const planner = service.tokenFor("planner", "e2e alerts planner");
    const admin = await freshPage();
    const other = await freshPage();
    await signIn(admin.page, service.base, service.token, "/alerts?show=all");
    await signIn(other.page, service.base, planner, "/alerts?show=all");
    const { riskAlerts } = await service.gql(ALERTS);
    const target =
      riskAlerts.nodes.find((a) => !a.acknowledged && !a.closedAt) ??
      riskAlerts.nodes.find((a) => !a.acknowledged);
    assert.ok(target, "an unacknowledged alert to acknowledge");
    for (const { page } of [admin, other]) {
      await rowOf(page, target.id).waitFor();
      assert.equal(await rowOf(page, target.id).getAttribute("data-acknowledged"), "false");
    }
    const probability = await rowOf(other.page, target.id)
      .getByTestId("alert-probability")
      .textContent();
    // Marks the planner's document: a reload would drop it.
    await other.page.evaluate(() => {
      /** @type {any} */ (window).__notReloaded = true;
    });
    await rowOf(admin.page, target.id).getByTestId("acknowledge-button").click();
    await eventually(
      async () => (await rowOf(admin.page, target.id).getAttribute("data-acknowledged")) === "true",
      { timeoutMs: 30_000, what: "the acknowledging browser to show it" },
    ).catch(async (error) => {
      const text = await rowOf(admin.page, target.id)
        .textContent()
        .catch(() => "(no row)");
      throw new Error(`${error.message}; the row reads: ${text}`);
    });
    await eventually(
      async () => (await rowOf(other.page, target.id).getAttribute("data-acknowledged")) === "true",
      { timeoutMs: 30_000, what: "the planner's browser to show the acknowledgement live" },
    );
    // The acknowledgement event carries no probability: the row keeps the one it showed.
    await eventually(
      async () =>
        (await rowOf(other.page, target.id).getByTestId("alert-probability").textContent()) ===
        probability,
      { timeoutMs: 10_000, what: `the planner's row to keep its probability ${probability}` },
    );
    assert.equal(
      await other.page.evaluate(() => /** @type {any} */ (window).__notReloaded),
      true,
      "the planner's page was not reloaded",
    );
    const { riskAlert } = await service.gql(ALERT, { id: target.id });
    assert.equal(riskAlert.acknowledged, true, "the API holds the acknowledgement");
    assert.equal(await rowOf(admin.page, target.id).getByTestId("acknowledge-button").count(), 0);
    assert.deepEqual(admin.offOrigin, []);
    assert.deepEqual(other.offOrigin, []);
  });

  test("a viewer sees the alerts, polled, with no enabled acknowledge button", async () => {
    await alertsReady();
    const viewer = service.tokenFor("viewer", "e2e alerts viewer");
    const { riskAlerts } = await service.gql(ALERTS);
    const open = riskAlerts.nodes.find((a) => !a.acknowledged) ?? riskAlerts.nodes[0];
    const { page, offOrigin } = await freshPage();
    await signIn(
      page,
      service.base,
      viewer,
      `/alerts?show=all&alert=${encodeURIComponent(open.id)}`,
    );
    await firstRow(page);
    await page.getByTestId("alert-panel").locator("h2").waitFor();
    await page.getByTestId("alert-panel-state").waitFor();
    assert.match((await page.getByTestId("alerts-refresh").textContent()) ?? "", /every 30 s/);
    assert.equal(await page.locator('[data-testid="acknowledge-button"]:enabled').count(), 0);
    assert.equal(
      await page.getByRole("button", { name: /acknowledge/i, disabled: false }).count(),
      0,
    );
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(offOrigin, []);
  });
});
