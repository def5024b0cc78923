/**
 * The HTTP side of the API: urql over same-origin `/graphql` with the session's token.
 * A 401 (wrong or revoked token) ends the session with a reason the sign-in page shows.
 */
import { Client, cacheExchange, fetchExchange, mapExchange } from "@urql/core";

export const GRAPHQL_PATH = "/graphql";

export function makeClient(token: () => string | null, onUnauthorized: (reason: string) => void) {
  return new Client({
    url: GRAPHQL_PATH,
    requestPolicy: "cache-and-network",
    exchanges: [
      mapExchange({
        onError(error) {
          const status = (error.response as Response | undefined)?.status;
          if (status === 401) {
            onUnauthorized("The server refused the token (HTTP 401: wrong or revoked).");
          }
        },
      }),
      cacheExchange,
      fetchExchange,
    ],
    fetchOptions: () => {
      const current = token();
      const headers: Record<string, string> = current ? { Authorization: `Bearer ${current}` } : {};
      return { headers };
    },
  });
}

/** ws:// or wss:// URL of the same origin's GraphQL endpoint. */
export function websocketUrl(location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${GRAPHQL_PATH}`;
}

/** Check a pasted token: its viewer, or why it was refused. */
export async function checkToken(
  token: string,
  fetchImpl: typeof fetch = fetch,
): Promise<{ ok: true; role: string; name: string | null } | { ok: false; reason: string }> {
  let response: Response;
  try {
    response = await fetchImpl(GRAPHQL_PATH, {
      method: "POST",
      headers: { "content-type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ viewer { role name anonymous } }" }),
    });
  } catch {
    return { ok: false, reason: "The service cannot be reached." };
  }
  if (response.status === 401) {
    const said = refusal(await response.text().catch(() => ""));
    return {
      ok: false,
      reason: `The server refused this token (HTTP 401: ${said ?? "wrong, unknown or revoked"}).`,
    };
  }
  if (!response.ok) return { ok: false, reason: `The service answered HTTP ${response.status}.` };
  const body = (await response.json()) as {
    data?: { viewer?: { role: string; name: string | null } };
    errors?: { message: string }[];
  };
  const viewer = body.data?.viewer;
  if (!viewer)
    return { ok: false, reason: body.errors?.[0]?.message ?? "No viewer in the answer." };
  return { ok: true, role: viewer.role, name: viewer.name };
}

/** The server's reason for a 401: a GraphQL error's message or its plain-text body. */
export function refusal(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { errors?: { message?: string }[]; detail?: string };
    return parsed.errors?.[0]?.message ?? parsed.detail;
  } catch {
    const text = body.trim();
    return text ? text.slice(0, 200) : undefined;
  }
}
