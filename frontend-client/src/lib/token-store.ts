/**
 * The API token for this browser session (sessionStorage: gone when the tab closes), and
 * why the user was last signed out, so the sign-in page can say it.
 */
import type { Role } from "./roles";

const TOKEN_KEY = "factorygraph.token";
const ROLE_KEY = "factorygraph.role";
const NAME_KEY = "factorygraph.name";
const REASON_KEY = "factorygraph.signout-reason";

export interface Session {
  token: string;
  role: Role;
  name: string | null;
}

type Listener = () => void;
const listeners = new Set<Listener>();

export function readSession(): Session | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const role = sessionStorage.getItem(ROLE_KEY) as Role | null;
  if (!token || !role) return null;
  return { token, role, name: sessionStorage.getItem(NAME_KEY) };
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(TOKEN_KEY, session.token);
  sessionStorage.setItem(ROLE_KEY, session.role);
  if (session.name) sessionStorage.setItem(NAME_KEY, session.name);
  else sessionStorage.removeItem(NAME_KEY);
  sessionStorage.removeItem(REASON_KEY);
  notify();
}

/** Forget the token; `reason` is shown on the sign-in page (a 401, a 4403 close, a sign-out). */
export function endSession(reason: string | null): void {
  const had = sessionStorage.getItem(TOKEN_KEY) !== null;
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(ROLE_KEY);
  sessionStorage.removeItem(NAME_KEY);
  if (reason) sessionStorage.setItem(REASON_KEY, reason);
  if (had) notify();
}

export function signOutReason(): string | null {
  return sessionStorage.getItem(REASON_KEY);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}
