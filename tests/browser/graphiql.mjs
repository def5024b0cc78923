// Opens GraphiQL in headless chromium, sets the token in its headers editor, types a
// query, runs it and reports what the page shows and every request the page made.
//
// usage: node graphiql.mjs <graphql url> <token> <query> <chromium executable>
// stdout: one JSON object; exit status 0 even when the page misbehaves (the test asserts).
import { chromium } from "playwright-core";

const [url, token, query, executablePath] = process.argv.slice(2);
const TIMEOUT_MS = 30_000;

const report = { requests: [], websockets: [], errors: [], graphqlPosts: [] };
const browser = await chromium.launch({ executablePath, headless: true });
try {
  const context = await browser.newContext();
  const origin = new URL(url).origin;
  // Record everything; let nothing leave the service's origin (a plant network has no CDN).
  await context.route("**/*", (route) => {
    const requested = route.request().url();
    if (requested.startsWith("data:") || new URL(requested).origin === origin) {
      return route.continue();
    }
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on("request", (request) => {
    report.requests.push({ method: request.method(), url: request.url() });
    if (request.method() === "POST" && request.url() === url) {
      report.graphqlPosts.push({
        authorization: request.headers()["authorization"] ?? null,
        body: request.postData(),
      });
    }
  });
  page.on("websocket", (ws) => report.websockets.push(ws.url()));
  page.on("pageerror", (error) => report.errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") report.errors.push(message.text());
  });

  const response = await page.goto(url, { waitUntil: "load" });
  report.status = response.status();
  report.contentType = response.headers()["content-type"];
  report.requestAccept = response.request().headers()["accept"];

  const queryEditor = page.locator(".graphiql-query-editor .CodeMirror");
  await queryEditor.waitFor({ state: "visible" });
  report.title = await page.title();

  // The headers editor: the "Headers" tab of the editor tools under the query editor.
  await page.getByRole("button", { name: "Headers", exact: true }).click();
  const headersEditor = page.locator(
    'section[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror',
  );
  await headersEditor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  // insertText types the text as one input (keystrokes would trigger bracket auto-closing).
  await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));

  await queryEditor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(query);
  report.queryShown = await page.locator(".graphiql-query-editor .CodeMirror-code").innerText();

  await page.locator(".graphiql-execute-button").click();
  const result = page.locator(".graphiql-response .CodeMirror-code");
  await result.filter({ hasText: "totalCount" }).waitFor({ state: "visible" });
  report.resultShown = await result.innerText();
} catch (error) {
  report.failure = String(error);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + "\n");
