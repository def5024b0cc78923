// Signing in and out: the token gate against the shared service. Roles come from the API's
// own `viewer` answer; a refused, revoked or missing token brings the sign-in page back
// with the reason; the token lives in sessionStorage (this tab only); nothing leaves the origin.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  axeViolations,
  browserForFile,
  eventually,
  listTokens,
  revokeToken,
  screenshot,
  sharedService,
  signIn,
  tokenId,
} from "./harness.mjs";

const service = sharedService();
const freshPage = browserForFile(service.base);

/** The label the role badge shows for a token: the API's own viewer role, lowercased. */
async function roleOf(token) {
  const data = await service.gql("{ viewer { role name } }", {}, token);
  return data.viewer.role.toLowerCase();
}

const signInField = (page) => page.getByLabel("API token");

describe("session", () => {
  test("the admin token signs in and shows its role", async () => {
    const { page, offOrigin, errors } = await freshPage();
    await signIn(page, service.base, service.token);
    assert.equal(
      (await page.getByTestId("role").textContent())?.trim(),
      await roleOf(service.token),
    );
    assert.equal(await signInField(page).count(), 0);
    assert.deepEqual(offOrigin, []);
    assert.deepEqual(errors, []);
  });

  test("a wrong token is refused with the reason and stays on sign-in", async () => {
    const { page, offOrigin } = await freshPage();
    await page.goto(service.base);
    const wrong = `fgt_${"0".repeat(16)}.not-a-real-secret`;
    // The server's own answer to this token (a 401), which the page must reflect.
    const answer = await fetch(`${service.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", Authorization: `Bearer ${wrong}` },
      body: JSON.stringify({ query: "{ viewer { role } }" }),
    });
    assert.equal(answer.status, 401);
    await signInField(page).fill(wrong);
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    const message = (await alert.textContent()) ?? "";
    assert.match(message, /token/i);
    assert.match(message, /refused|invalid|unknown|revoked|wrong/i);
    assert.equal(await signInField(page).count(), 1, "still on the sign-in page");
    assert.equal(await page.getByTestId("role").count(), 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem("factorygraph.token")), null);
    assert.deepEqual(offOrigin, []);
  });

  test("a viewer token shows the viewer role", async () => {
    const viewer = service.tokenFor("viewer", "e2e session viewer");
    assert.equal(await roleOf(viewer), "viewer");
    const { page, offOrigin } = await freshPage();
    await signIn(page, service.base, viewer);
    assert.equal((await page.getByTestId("role").textContent())?.trim(), "viewer");
    assert.deepEqual(offOrigin, []);
  });

  test("a deep link opened before sign-in lands on that page after sign-in", async () => {
    const { page, offOrigin } = await freshPage();
    await signIn(page, service.base, service.token, "/orders?late=true");
    const url = new URL(page.url());
    assert.equal(url.pathname, "/orders");
    assert.equal(url.searchParams.get("late"), "true");
    const current = page.getByRole("navigation", { name: "Main" }).locator("[aria-current=page]");
    assert.equal((await current.textContent())?.trim(), "Orders");
    await page.locator("main h1").first().waitFor();
    assert.deepEqual(offOrigin, []);
  });

  test("the token is kept for the browser session, not in a new context", async () => {
    const { page, offOrigin } = await freshPage();
    await signIn(page, service.base, service.token);
    await page.reload();
    await page.getByTestId("role").waitFor();
    assert.equal(await signInField(page).count(), 0, "a reload stays signed in");
    const other = await freshPage();
    await other.page.goto(service.base);
    await signInField(other.page).waitFor();
    assert.equal(await other.page.getByTestId("role").count(), 0, "a new context signs in again");
    assert.deepEqual(offOrigin, []);
    assert.deepEqual(other.offOrigin, []);
  });

  test("a token revoked while signed in sends the user back to sign-in with the reason", async () => {
    const token = service.tokenFor("operator", "e2e session revoked");
    const { page, offOrigin } = await freshPage();
    await signIn(page, service.base, token);
    assert.equal((await page.getByTestId("role").textContent())?.trim(), "operator");

    const id = tokenId(token);
    assert.ok(
      listTokens(service.dataDir).some((t) => t.id === id && t.state === "active"),
      "token list shows the new token as active",
    );
    revokeToken(service.dataDir, id);
    assert.ok(listTokens(service.dataDir).some((t) => t.id === id && t.state === "revoked"));

    // The API notices within its token cache's lifetime (~5 s); an open socket keeps working
    // until then, so navigate (each page load queries the API) until the 401 signs us out.
    await eventually(
      async () => {
        if ((await signInField(page).count()) > 0) return true;
        await page.reload();
        await page.waitForTimeout(1_000);
        return (await signInField(page).count()) > 0;
      },
      { timeoutMs: 30_000, everyMs: 500, what: "the sign-in page after revocation" },
    );
    const alert = page.getByRole("alert");
    await alert.waitFor();
    const message = (await alert.textContent()) ?? "";
    assert.match(message, /refused|revoked/i, `the reason is shown: ${message}`);
    assert.match(message, /401|4403|revoked/i);
    assert.equal(await page.getByTestId("role").count(), 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem("factorygraph.token")), null);
    assert.deepEqual(offOrigin, []);
  });

  test("the sign-in page passes axe and is photographed", async () => {
    const { page, offOrigin } = await freshPage();
    await page.goto(service.base);
    await signInField(page).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await screenshot(page, "sign-in");
    assert.deepEqual(offOrigin, []);
  });
});
