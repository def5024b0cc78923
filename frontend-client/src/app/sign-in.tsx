/** Paste an API token; it is checked against the API and kept for this browser session. */
import { type FormEvent, useState } from "react";
import type { Role } from "../lib/roles";
import { saveSession, signOutReason } from "../lib/token-store";
import { checkToken } from "../lib/urql-client";

export function SignIn() {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(signOutReason());
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const pasted = token.trim();
    if (!pasted) {
      setError("Paste a token first.");
      return;
    }
    setBusy(true);
    const answer = await checkToken(pasted);
    setBusy(false);
    if (!answer.ok) {
      setError(answer.reason);
      return;
    }
    saveSession({ token: pasted, role: answer.role as Role, name: answer.name });
  }

  return (
    <main className="sign-in" id="main">
      <h1>factorygraph</h1>
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        <p>
          Paste an API token: the admin token <code>make run</code> printed, or one from{" "}
          <code>factorygraph token create --role viewer --name you</code>. It is kept only for this
          browser tab.
        </p>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? "Checking…" : "Sign in"}
        </button>
        {error && (
          <p className="sign-in-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
