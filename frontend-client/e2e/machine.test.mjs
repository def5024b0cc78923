// The machine page against the shared demo service: identity from the API, current values as
// the API reads them, OEE per shift equal to shiftOee over the same window (the page names
// its window on the table), both state timelines drawn on their canvas, an unknown id's
// empty state, axe and no request leaving the origin.
//
// Values and the running shift move on by themselves (a live simulated plant): values are
// compared where the page and a fresh read carry the same source time, and the running
// shift's figures within what a minute of production can change.
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

const MACHINE = `query($id: ID!) {
  machine(id: $id) {
    id name kind manufacturer serialNumber
    line { id name }
    values { name value text unit sourceTimestamp quality statusCode }
  }
}`;

const SHIFT_OEE = `query($id: ID!, $from: DateTime!, $to: DateTime!) {
  shiftOee(machineIds: [$id], from: $from, to: $to) {
    rows {
      complete availability performance quality oee
      plannedBusyTimeS actualProductionTimeS idleTimeS downTimeS unknownTimeS
      goodCount scrapCount producedCount idealProductionTimeS
      shift { id }
    }
  }
}`;

/** @type {import("playwright-core").Browser} */
let browser;
let ctx;
/** @type {import("playwright-core").Page} */
let page;
let machineId;

before(async () => {
  const { machines } = await service.gql(
    "{ machines(first: 50) { nodes { id values { name } } } }",
  );
  machineId = (machines.nodes.find((m) => m.values.length) ?? machines.nodes[0]).id;
  browser = await launchBrowser();
  ctx = await newContext(browser, service.base);
  page = await ctx.context.newPage();
  await signIn(page, service.base, service.token, `/machines/${encodeURIComponent(machineId)}`);
  await page.getByTestId("machine-values").waitFor({ timeout: 30_000 });
});

after(async () => {
  await browser?.close();
});

/** "1,234.5" -> 1234.5; "98.9%" -> 0.989; "7:05:09" -> 25509; "–" -> null. */
function parseShown(text, field) {
  const t = text.trim();
  if (t === "–" || t === "") return null;
  if (t.endsWith("%")) return Number(t.slice(0, -1).replaceAll(",", "")) / 100;
  if (/^-?\d+:\d\d:\d\d$/.test(t)) {
    const sign = t.startsWith("-") ? -1 : 1;
    const [h, m, s] = t.replace("-", "").split(":").map(Number);
    return sign * (h * 3600 + m * 60 + s);
  }
  const n = Number(t.replaceAll(",", ""));
  assert.ok(Number.isFinite(n), `${field}: ${t} is a number`);
  return n;
}

/** How far the shown figure may be from the API's: the display's rounding. */
function roundingOf(field) {
  if (["availability", "performance", "quality", "oee"].includes(field)) return 0.0005 + 1e-9;
  if (field.endsWith("TimeS")) return 0.5 + 1e-9;
  return 0.05 + 1e-9;
}

test("the page shows the machine's identity and its values as the API reads them", async () => {
  const { machine } = await service.gql(MACHINE, { id: machineId });
  await page.getByRole("heading", { level: 1, name: new RegExp(machine.name) }).waitFor();
  const facts = await page.locator(".facts").textContent();
  for (const text of [machine.kind, machine.manufacturer, machine.serialNumber]) {
    assert.ok(facts.includes(text), `identity shows ${text}`);
  }
  if (machine.line) assert.ok(facts.includes(machine.line.name));

  await eventually(
    async () => {
      const { machine: fresh } = await service.gql(MACHINE, { id: machineId });
      const rows = await page.$$eval("[data-testid=value-row]", (trs) =>
        trs.map((tr) => ({
          name: tr.getAttribute("data-value-name"),
          at: tr.getAttribute("data-source-timestamp"),
          value: tr.querySelector("[data-field=value]")?.textContent ?? "",
          unit: tr.querySelector("[data-field=unit]")?.textContent ?? "",
          quality: tr.querySelector("[data-field=quality]")?.textContent ?? "",
          statusCode: tr.querySelector("[data-field=statusCode]")?.textContent ?? "",
        })),
      );
      assert.deepEqual(
        rows.map((r) => r.name).sort(),
        fresh.values.map((v) => v.name).sort(),
        "a row per value",
      );
      let same = 0;
      for (const row of rows) {
        const api = fresh.values.find((v) => v.name === row.name);
        assert.equal(row.unit, api.unit ?? "", `${row.name}: unit`);
        if (row.at !== (api.sourceTimestamp ?? "")) continue; // read at another moment
        same += 1;
        if (api.value !== null) {
          assert.ok(
            Math.abs(Number(row.value.replaceAll(",", "")) - api.value) <= 0.005 + 1e-9,
            `${row.name}: shows ${row.value}, API ${api.value}`,
          );
        } else {
          assert.equal(row.value, api.text ?? "–", `${row.name}: text`);
        }
        assert.ok(row.quality.includes(api.quality ?? "–"), `${row.name}: quality`);
        assert.equal(row.statusCode, api.statusCode ?? "–", `${row.name}: status code`);
      }
      // Slow tags (operation mode, work order) keep their source time across polls.
      return same >= Math.min(2, rows.length);
    },
    { timeoutMs: 30_000, everyMs: 1_000, what: "values matching a fresh API read" },
  );
});

/** The OEE table as the page shows it: its window and each row's cells, as text. */
async function shownShiftOee() {
  const table = page.getByTestId("shift-oee");
  await table.waitFor();
  return {
    from: await table.getAttribute("data-from"),
    to: await table.getAttribute("data-to"),
    rows: await page.$$eval("[data-testid=shift-oee-row]", (trs) =>
      trs.map((tr) => ({
        shift: tr.getAttribute("data-shift-id"),
        complete: tr.getAttribute("data-complete") === "true",
        cells: Object.fromEntries(
          [...tr.querySelectorAll("[data-field]")].map((td) => [
            td.getAttribute("data-field"),
            td.textContent ?? "",
          ]),
        ),
      })),
    ),
  };
}

const RATIOS = ["availability", "performance", "quality", "oee"];

test("OEE per shift equals shiftOee over the window the page names", async () => {
  // The running shift grows between any two reads: bracket the page's own read between an
  // API read before a reload and one after the table is drawn again.
  const before = await shownShiftOee();
  const { shiftOee: earlier } = await service.gql(SHIFT_OEE, { id: machineId, ...before });
  await page.reload();
  await page.getByTestId("shift-oee-row").first().waitFor({ timeout: 30_000 });
  const shown = await shownShiftOee();
  const { shiftOee: later } = await service.gql(SHIFT_OEE, {
    id: machineId,
    from: shown.from,
    to: shown.to,
  });
  assert.deepEqual(
    shown.rows.map((r) => r.shift),
    later.rows.map((r) => r.shift.id),
    "the same shifts, in order",
  );
  assert.ok(shown.rows.length > 0, "the last 24 h overlap some shift");
  for (const row of shown.rows) {
    const api = later.rows.find((r) => r.shift.id === row.shift);
    const fields = Object.keys(row.cells);
    for (const field of [
      "availability",
      "oee",
      "plannedBusyTimeS",
      "idealProductionTimeS",
      "goodCount",
    ]) {
      assert.ok(fields.includes(field), `the table shows ${field}`);
    }
    const got = Object.fromEntries(fields.map((f) => [f, parseShown(row.cells[f], f)]));
    if (row.complete && api.complete) {
      // A finished shift's figures no longer change: equal up to the display's rounding.
      for (const field of fields) {
        const want = api[field];
        if (want === null) assert.equal(got[field], null, `${row.shift} ${field}`);
        else
          assert.ok(
            Math.abs(got[field] - want) <= roundingOf(field),
            `${row.shift} ${field}: ${got[field]} vs ${want}`,
          );
      }
      continue;
    }
    // The running shift: times and counts only grow, so the page's lie between the reads...
    const first = earlier.rows.find((r) => r.shift.id === row.shift);
    for (const field of fields.filter((f) => !RATIOS.includes(f))) {
      const low = first?.[field] ?? Number.NEGATIVE_INFINITY;
      const high = api[field];
      if (high === null) continue;
      const r = roundingOf(field);
      assert.ok(
        got[field] >= low - r && got[field] <= high + r,
        `${row.shift} ${field}: ${got[field]} outside [${low}, ${high}] (running)`,
      );
    }
    // ...and its ratios are those of the figures it shows.
    // The inputs are rounded for display (0.5 s, 0.05 counts): allow what that can move.
    const check = (field, n, d) => {
      const num = got[n];
      const den = got[d];
      if (got[field] === null || num === null || !den) return;
      const want = num / den;
      const slack =
        Math.abs(want) * (roundingOf(n) / Math.max(Math.abs(num), 1e-9) + roundingOf(d) / den) +
        roundingOf(field);
      assert.ok(
        Math.abs(got[field] - want) <= slack,
        `${row.shift} ${field}: ${got[field]} vs ${want} from the inputs shown`,
      );
    };
    check("availability", "actualProductionTimeS", "plannedBusyTimeS");
    check("performance", "idealProductionTimeS", "actualProductionTimeS");
    check("quality", "goodCount", "producedCount");
  }
});

test("both state timelines are drawn on their canvas", async () => {
  for (const id of ["timeline-shift", "timeline-day"]) {
    const canvas = page.getByTestId(id).locator("canvas").first();
    await canvas.waitFor({ timeout: 20_000 });
    const painted = await eventually(
      () =>
        canvas.evaluate((c) => {
          const el = /** @type {HTMLCanvasElement} */ (c);
          const data = el.getContext("2d")?.getImageData(0, 0, el.width, el.height).data;
          if (!data) return 0;
          let n = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n += 1;
          return n;
        }),
      { what: `${id} painted` },
    );
    assert.ok(painted > 100, `${id}: ${painted} painted pixels`);
  }
});

test("axe, screenshot, no off-origin request; an unknown machine shows an empty state", async () => {
  await page.waitForLoadState("networkidle").catch(() => undefined);
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, "machine-detail");

  await page.goto(`${service.base}/machines/NO-SUCH-MACHINE`);
  await page.getByText("There is no machine").waitFor();
  assert.deepEqual(await axeViolations(page), []);

  assert.deepEqual(ctx.offOrigin, []);
  assert.deepEqual(ctx.errors, []);
});
