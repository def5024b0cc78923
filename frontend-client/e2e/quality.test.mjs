// The quality events page against the shared demo service: the list is the API's answer for
// the same filter (newest first, 100 a page, load more), a quality event recorded with the
// recordQualityEvent mutation appears live (no reload) with its subjects linked, `?id=`
// highlights one, and the page passes axe with no request leaving the origin.
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

const EVENTS = `query($filter: QualityEventFilter, $first: Int!, $after: String) {
  qualityEvents(filter: $filter, orderBy: { field: OCCURRED_AT, direction: DESC }, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id kind severity subjectIds }
  }
}`;

const RECORD = `mutation($input: RecordQualityEventInput!) {
  recordQualityEvent(input: $input) {
    __typename
    ... on QualityEvent { id occurredAt subjectIds }
    ... on ValidationError { field message }
    ... on NotFoundError { message ids }
    ... on ConflictError { message }
  }
}`;

const freshPage = browserForFile(service.base);

const rowIds = (page) =>
  page
    .getByTestId("quality-row")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-event-id")));

/** Retry until the page lists exactly the API's ids for `filter` (events may arrive meanwhile). */
async function expectListed(page, filter, first = 100) {
  let expected = [];
  await eventually(
    async () => {
      const data = await service.gql(EVENTS, { filter, first });
      expected = data.qualityEvents.nodes.map((e) => e.id);
      return JSON.stringify(await rowIds(page)) === JSON.stringify(expected);
    },
    { timeoutMs: 20_000, what: `the page to list the API's events for ${JSON.stringify(filter)}` },
  );
  return expected;
}

describe("quality events page", () => {
  test("lists the API's newest events, loads more, passes axe", async () => {
    const { page, offOrigin, errors } = await freshPage();
    await signIn(page, service.base, service.token, "/quality");
    await page.getByTestId("quality-row").first().waitFor();
    const ids = await expectListed(page, null);
    assert.ok(ids.length > 0, "the demo has quality events");
    const { qualityEvents } = await service.gql(EVENTS, { filter: null, first: 1 });
    assert.match(
      (await page.getByTestId("quality-count").textContent()) ?? "",
      new RegExp(`of ${qualityEvents.totalCount} event`),
    );
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, "quality");
    if (qualityEvents.pageInfo.hasNextPage && qualityEvents.totalCount > 100) {
      await page.getByTestId("quality-load-more").click();
      // Two pages: a windowed list draws only the rows in view, the newest first.
      await eventually(
        async () => {
          const data = await service.gql(EVENTS, { filter: null, first: 200 });
          const want = data.qualityEvents.nodes.map((e) => e.id);
          const shown = await rowIds(page);
          const count = (await page.getByTestId("quality-count").textContent()) ?? "";
          return (
            count.startsWith(`Showing ${want.length} of`) &&
            shown.length > 0 &&
            shown.every((id, i) => id === want[i])
          );
        },
        { timeoutMs: 20_000, what: "a second page after load more" },
      );
      assert.deepEqual(await axeViolations(page), []);
    }
    assert.deepEqual(offOrigin, []);
    assert.deepEqual(errors, []);
  });

  test("filters narrow the list as the API's answer for the same filter", async () => {
    const { page, offOrigin } = await freshPage();
    await signIn(page, service.base, service.token, "/quality");
    await page.getByTestId("quality-row").first().waitFor();
    // A kind and a machine the API has events of at HIGH or above.
    const high = await service.gql(EVENTS, {
      filter: { severities: ["HIGH", "CRITICAL"] },
      first: 100,
    });
    const sample = high.qualityEvents.nodes[0];
    assert.ok(sample, "the demo has a HIGH or CRITICAL quality event");

    await page.getByTestId("quality-filter-severity").selectOption("HIGH");
    await eventually(async () => new URL(page.url()).searchParams.get("severity") === "HIGH");
    await expectListed(page, { severities: ["HIGH", "CRITICAL"] });

    await page.getByTestId("quality-filter-kind").selectOption(sample.kind);
    await eventually(async () => new URL(page.url()).searchParams.get("kind") === sample.kind);
    const narrowed = await expectListed(page, {
      severities: ["HIGH", "CRITICAL"],
      kinds: [sample.kind],
    });
    assert.ok(narrowed.includes(sample.id));

    const subject = sample.subjectIds[0];
    const field = subject.startsWith("ML-")
      ? "lot"
      : subject.startsWith("B-")
        ? "batch"
        : "machine";
    const apiField = { lot: "materialLotId", batch: "batchId", machine: "machineId" }[field];
    await page.getByTestId(`quality-filter-${field}`).fill(subject);
    await eventually(async () => new URL(page.url()).searchParams.get(field) === subject, {
      what: `?${field}= in the URL`,
    });
    const bySubject = await expectListed(page, {
      severities: ["HIGH", "CRITICAL"],
      kinds: [sample.kind],
      [apiField]: subject,
    });
    assert.ok(bySubject.includes(sample.id));

    // The same view from a deep link.
    const deep = await freshPage();
    await signIn(
      deep.page,
      service.base,
      service.token,
      `/quality?${new URL(page.url()).searchParams}`,
    );
    await deep.page.getByTestId("quality-row").first().waitFor();
    assert.deepEqual(await rowIds(deep.page), await rowIds(page));

    // Nothing matches: the empty state says so.
    await page.getByTestId("quality-filter-q").fill("no event says this 7f3c9a");
    await page.getByText("No quality event matches these filters").waitFor();
    assert.equal(await page.getByTestId("quality-row").count(), 0);
    assert.deepEqual(offOrigin, []);
    assert.deepEqual(deep.offOrigin, []);
  });

  test("an event recorded with recordQualityEvent appears live, subjects linked", async () => {
    const quality = service.tokenFor("quality", "e2e quality recorder");
    const { page, offOrigin } = await freshPage();
    await signIn(page, service.base, service.token, "/quality?severity=MEDIUM");
    await page.getByTestId("quality-row").first().waitFor();
    await page.evaluate(() => {
      /** @type {any} */ (window).__notReloaded = true;
    });
    const { machines } = await service.gql("{ machines(first: 1) { nodes { id } } }");
    const machineId = machines.nodes[0].id;
    const { recordQualityEvent: recorded } = await service.gql(
      RECORD,
      {
        input: {
          kind: "DEVIATION",
          severity: "HIGH",
          occurredAt: new Date().toISOString(),
          description: `e2e live deviation ${Date.now()}`,
          machineIds: [machineId],
        },
      },
      quality,
    );
    assert.equal(recorded.__typename, "QualityEvent", JSON.stringify(recorded));
    const row = page.locator(`[data-testid="quality-row"][data-event-id="${recorded.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    assert.equal((await rowIds(page))[0], recorded.id, "the newest event is listed first");
    assert.equal(
      await row.getByRole("link", { name: machineId }).getAttribute("href"),
      `/machines/${encodeURIComponent(machineId)}`,
    );
    assert.equal(await page.evaluate(() => /** @type {any} */ (window).__notReloaded), true);

    // A live event the filter excludes stays out.
    const { recordQualityEvent: low } = await service.gql(
      RECORD,
      {
        input: {
          kind: "INSPECTION_PASSED",
          severity: "LOW",
          occurredAt: new Date().toISOString(),
          description: `e2e live low ${Date.now()}`,
          machineIds: [machineId],
        },
      },
      quality,
    );
    assert.equal(low.__typename, "QualityEvent");
    await page.waitForTimeout(1_500);
    assert.equal(
      await page.locator(`[data-testid="quality-row"][data-event-id="${low.id}"]`).count(),
      0,
    );
    assert.deepEqual(offOrigin, []);
  });

  test("?id= highlights one event and batches and lots link to the trace", async () => {
    const { qualityEvents } = await service.gql(EVENTS, { filter: null, first: 100 });
    const withTrace =
      qualityEvents.nodes.find((e) => e.subjectIds.some((s) => /^(B|ML)-/.test(s))) ??
      qualityEvents.nodes[0];
    const { page, offOrigin } = await freshPage();
    await signIn(
      page,
      service.base,
      service.token,
      `/quality?id=${encodeURIComponent(withTrace.id)}`,
    );
    const row = page.locator(`[data-testid="quality-row"][data-event-id="${withTrace.id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute("data-highlighted"), "true");
    assert.equal(await page.locator('[data-highlighted="true"]').count(), 1);
    for (const id of withTrace.subjectIds) {
      const href = await row.getByRole("link", { name: id }).getAttribute("href");
      if (/^(B|ML)-/.test(id)) assert.equal(href, `/trace?id=${encodeURIComponent(id)}`);
      else if (id.startsWith("M-")) assert.equal(href, `/machines/${encodeURIComponent(id)}`);
    }
    assert.deepEqual(offOrigin, []);
  });
});
