// The live connection across a service restart: a service of its own (no simulated plant, so
// only this test changes machine states) is stopped under a signed-in page and started
// again on the same port and data directory. The status bar goes Live -> Reconnecting ->
// Offline -> Live, and the plant board shows a state change made after the restart while
// the socket was still down (through the resync snapshot) and one made once it was back
// (through the subscription).
//
// The page runs on Playwright's fake clock, so the 30 s offline threshold and the client's
// backoff are jumped over instead of waited for, and the clock is held still across the
// restart so that the socket cannot reconnect before the first change is recorded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  eventually,
  launchBrowser,
  newContext,
  signIn,
  startService,
  TINY_DEMO_TRAINING,
} from "./harness.mjs";

/** The tile's data-state for each API machine state (StateBadge's tileState, no setup mode). */
const TILE_STATE = {
  EXECUTING: "running",
  NOT_EXECUTING: "idle",
  OUT_OF_SERVICE: "down",
  NOT_AVAILABLE: "unavailable",
};

const RECORD = `mutation Record($id: ID!, $state: MachineState!, $at: DateTime!) {
  recordMachineState(machineId: $id, state: $state, at: $at) {
    __typename
    ... on MachineStateRecorded { outcome machine { id state stateAt } }
    ... on ValidationError { field message }
    ... on NotFoundError { message ids }
  }
}`;

/** @type {Awaited<ReturnType<typeof startService>>} */
let service;
/** @type {import("playwright-core").Browser} */
let browser;

before(async () => {
  [service, browser] = await Promise.all([
    startService({ plant: false, env: { FACTORYGRAPH_DEMO_TRAINING: TINY_DEMO_TRAINING } }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await service?.dispose();
});

async function record(machineId, state, token) {
  const data = await service.gql(
    RECORD,
    { id: machineId, state, at: new Date().toISOString() },
    token,
  );
  const result = data.recordMachineState;
  assert.equal(result.__typename, "MachineStateRecorded", JSON.stringify(result));
  assert.equal(result.outcome, "CHANGED");
  assert.equal(result.machine.state, state);
  return result;
}

/** A state other than every one given. */
function otherThan(...states) {
  return Object.keys(TILE_STATE).find((s) => !states.includes(s));
}

test("the client reconnects by itself after a restart and resyncs the board", {
  timeout: 110_000,
}, async () => {
  const { context, offOrigin, errors } = await newContext(browser, service.base);
  // Seeded states are weeks old and the fake clock runs ahead: with the default 60 s every
  // tile would read "not reporting". A threshold of decades makes data-state follow the
  // machine state alone.
  await context.addInitScript(() => {
    if (location.protocol.startsWith("http")) {
      localStorage.setItem("factorygraph.staleAfterS", String(1e9));
    }
  });
  const page = await context.newPage();
  await page.clock.install();
  const status = page.getByTestId("connection-status");
  const statusText = async () => ((await status.textContent()) ?? "").trim();

  const oldToken = service.token;
  await signIn(page, service.base, oldToken, "/");
  await eventually(async () => /^Live$/.test(await statusText()), { what: "Live" });

  const { machines } = await service.gql("{ machines(first: 1) { nodes { id state } } }");
  const machine = machines.nodes[0];
  const tile = page.locator(`article[data-testid=machine-tile][data-machine-id="${machine.id}"]`);
  await tile.waitFor();
  assert.equal(await tile.getAttribute("data-state"), TILE_STATE[machine.state]);

  await service.stop();
  await eventually(async () => /^Reconnecting/.test(await statusText()), {
    what: "Reconnecting after the service stopped",
  });
  // Past the client's 30 s offline threshold, without waiting for it.
  await page.clock.fastForward(31_000);
  await eventually(async () => /^Offline$/.test(await statusText()), {
    what: "Offline after the threshold",
  });

  // Hold the page's timers (the reconnect backoff among them) across the restart.
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
  const newToken = await service.restart();
  assert.notEqual(newToken, oldToken, "a restarted demo prints a fresh admin token");
  // Recorded before the socket is back: only the resync snapshot can bring it.
  const duringReconnect = otherThan(machine.state);
  await record(machine.id, duringReconnect, newToken);
  assert.match(await statusText(), /^(Offline|Reconnecting)/, "the socket is still down");

  await page.clock.resume();
  await eventually(
    async () => {
      if (/^Live$/.test(await statusText())) return true;
      await page.clock.fastForward(5_000); // the pending backoff, at once
      return false;
    },
    { timeoutMs: 60_000, everyMs: 500, what: "Live again after the restart" },
  );
  // The old token still signs the session: tokens live in the graph, not the process.
  assert.equal(await page.getByTestId("role").count(), 1);
  await eventually(
    async () => (await tile.getAttribute("data-state")) === TILE_STATE[duringReconnect],
    { what: `tile ${machine.id} showing ${duringReconnect} from the resync snapshot` },
  );

  // And the subscription delivers what happens after the reconnect.
  const afterReconnect = otherThan(machine.state, duringReconnect);
  await record(machine.id, afterReconnect, newToken);
  await eventually(
    async () => (await tile.getAttribute("data-state")) === TILE_STATE[afterReconnect],
    { what: `tile ${machine.id} showing ${afterReconnect} from the live event` },
  );

  assert.deepEqual(offOrigin, []);
  assert.deepEqual(errors, []);
  await context.close();
});
