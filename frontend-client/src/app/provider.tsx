/**
 * Composes the app once: the token gate (sign-in until a token is accepted), the urql
 * client with that token, and the live feeds on one WebSocket. A 401 or a 4403 close ends
 * the session and brings the sign-in page back with the reason.
 */
import { type ReactNode, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { Provider as UrqlProvider } from "urql";
import { LiveFeeds } from "../features/live/feeds";
import { LiveFeedsContext } from "../features/live/hooks";
import { endSession, onSessionChange, readSession, type Session } from "../lib/token-store";
import { makeClient, websocketUrl } from "../lib/urql-client";
import { ErrorBoundary } from "./error-boundary";
import { SessionContext } from "./session";
import { SignIn } from "./sign-in";

function sessionKey(): string {
  const session = readSession();
  return session ? JSON.stringify(session) : "";
}

export function AppProvider({ children }: { children: ReactNode }) {
  const key = useSyncExternalStore(onSessionChange, sessionKey);
  const session = useMemo<Session | null>(() => (key ? JSON.parse(key) : null), [key]);
  if (!session) return <SignIn />;
  return <SignedIn session={session}>{children}</SignedIn>;
}

function SignedIn({ session, children }: { session: Session; children: ReactNode }) {
  const client = useMemo(
    () =>
      makeClient(
        () => session.token,
        (reason) => endSession(reason),
      ),
    [session.token],
  );
  const [feeds, setFeeds] = useState<LiveFeeds | null>(null);
  useEffect(() => {
    const live = new LiveFeeds({
      client,
      role: session.role,
      token: () => session.token,
      websocketUrl: websocketUrl(),
      onAuthFailure: (reason) => endSession(reason),
      offlineAfterMs: 30_000,
    });
    setFeeds(live);
    return () => live.dispose();
  }, [client, session.role, session.token]);
  if (!feeds) return null;
  return (
    <SessionContext.Provider value={session}>
      <UrqlProvider value={client}>
        <LiveFeedsContext.Provider value={feeds}>
          <ErrorBoundary>{children}</ErrorBoundary>
        </LiveFeedsContext.Provider>
      </UrqlProvider>
    </SessionContext.Provider>
  );
}
