/**
 * The one WebSocket the app keeps (graphql-transport-ws), shared by every live feed.
 *
 * graphql-ws retries ordinary drops itself and resubscribes, but treats 4429 ("subscriber
 * too slow": events were lost) as fatal and retries 4403 (bad or revoked token) forever.
 * So: a 4403 ends the session (the user signs in again, told why); a 4429 or an exhausted
 * retry makes a fresh client after a backoff. Every reconnect after the first connection
 * is announced as a resync, so the feeds refetch their snapshots before trusting events.
 */
import { type Client, createClient } from "graphql-ws";

export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "offline";

export interface LiveConnectionOptions {
  url: string;
  token: () => string | null;
  /** The server refused the token (close 4403): end the session with this reason. */
  onAuthFailure: (reason: string) => void;
  /** A reconnect happened (or events were lost): refetch snapshots. */
  onResync: () => void;
  onStatus: (status: ConnectionStatus) => void;
  /** How long reconnecting may last before the status says offline. */
  offlineAfterMs?: number;
  webSocketImpl?: unknown;
}

interface Registered {
  query: string;
  variables: Record<string, unknown>;
  next: (data: unknown) => void;
  dispose: (() => void) | null;
}

export const AUTH_CLOSE = 4403;
export const TOO_SLOW_CLOSE = 4429;

/** Delay before the attempt-th reconnection: 0.5 s doubling to 10 s, with jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.75 + 0.5 * random()));
}

/** graphql-ws's dispose() awaits the connection attempt, which rejects after a close. */
function disposeQuietly(client: Client | null): void {
  Promise.resolve(client?.dispose()).catch(() => undefined);
}

export class LiveConnection {
  private client: Client | null = null;
  private registered = new Set<Registered>();
  private connectedOnce = false;
  private attempts = 0;
  private disposed = false;
  private status: ConnectionStatus = "connecting";
  private downSince: number | null = null;
  private offlineTimer: ReturnType<typeof setTimeout> | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: LiveConnectionOptions) {
    this.start();
  }

  /** Subscribe for as long as the connection lives; survives client replacement. */
  subscribe(
    query: string,
    variables: Record<string, unknown>,
    next: (data: unknown) => void,
  ): () => void {
    const entry: Registered = { query, variables, next, dispose: null };
    this.registered.add(entry);
    this.attach(entry);
    return () => {
      entry.dispose?.();
      this.registered.delete(entry);
    };
  }

  dispose(): void {
    this.disposed = true;
    if (this.offlineTimer) clearTimeout(this.offlineTimer);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const entry of this.registered) entry.dispose?.();
    this.registered.clear();
    disposeQuietly(this.client);
    this.client = null;
  }

  private start(): void {
    if (this.disposed) return;
    const client = createClient({
      url: this.options.url,
      lazy: false,
      keepAlive: 10_000,
      retryAttempts: 8,
      retryWait: async (retries) => {
        await new Promise((resolve) => setTimeout(resolve, backoffMs(retries)));
      },
      shouldRetry: () => true,
      connectionParams: () => {
        const token = this.options.token();
        return token ? { Authorization: `Bearer ${token}` } : {};
      },
      webSocketImpl: this.options.webSocketImpl,
      on: {
        connected: () => this.connected(),
        closed: (event) => this.closed(event as { code?: number; reason?: string }),
      },
      onNonLazyError: () => this.restart(),
    });
    this.client = client;
    for (const entry of this.registered) this.attach(entry);
  }

  private attach(entry: Registered): void {
    const client = this.client;
    if (!client) return;
    entry.dispose = client.subscribe(
      { query: entry.query, variables: entry.variables },
      {
        next: (result) => {
          if (result.data) entry.next(result.data);
        },
        // A fatal close ends every subscription of this client: restart() re-attaches.
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }

  private connected(): void {
    this.attempts = 0;
    this.downSince = null;
    if (this.offlineTimer) clearTimeout(this.offlineTimer);
    this.offlineTimer = null;
    this.setStatus("live");
    if (this.connectedOnce) this.options.onResync();
    this.connectedOnce = true;
  }

  private closed(event: { code?: number; reason?: string }): void {
    if (this.disposed) return;
    if (event.code === AUTH_CLOSE) {
      this.dispose();
      this.options.onAuthFailure(
        "The server refused the token (revoked or wrong): sign in with a valid token.",
      );
      return;
    }
    this.markDown();
  }

  /** The client gave up (4429, or retries exhausted): a fresh one after a backoff. */
  private restart(): void {
    if (this.disposed) return;
    this.markDown();
    const old = this.client;
    this.client = null;
    for (const entry of this.registered) entry.dispose = null;
    disposeQuietly(old);
    this.attempts += 1;
    this.restartTimer = setTimeout(() => this.start(), backoffMs(this.attempts));
  }

  private markDown(): void {
    if (this.downSince === null) this.downSince = Date.now();
    if (this.status !== "offline") this.setStatus("reconnecting");
    if (!this.offlineTimer) {
      this.offlineTimer = setTimeout(() => {
        if (this.downSince !== null) this.setStatus("offline");
      }, this.options.offlineAfterMs ?? 30_000);
    }
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }
}
