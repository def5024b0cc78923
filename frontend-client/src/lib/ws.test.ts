import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoffMs, type ConnectionStatus, LiveConnection } from "./ws";

describe("backoff", () => {
  it("doubles from half a second up to ten seconds, within the jitter", () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 12].map((n) => backoffMs(n, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000, 10000,
    ]);
    expect(backoffMs(0, () => 0)).toBe(375);
    expect(backoffMs(0, () => 1)).toBe(625);
  });
});

/** Just enough of a WebSocket for graphql-ws: the test plays the server's part. */
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static made: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  protocol = "graphql-transport-ws";
  sent: Array<{ type: string; id?: string; payload?: unknown }> = [];
  onopen: (() => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string,
  ) {
    FakeSocket.made.push(this);
    queueMicrotask(() => {
      this.readyState = FakeSocket.OPEN;
      this.onopen?.();
    });
  }

  send(data: string) {
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000, reason = "") {
    if (this.readyState === FakeSocket.CLOSED) return;
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code, reason, wasClean: true });
  }

  serverSays(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  /** Ack the connection and answer every subscribe with one event. */
  ackAndServe() {
    this.serverSays({ type: "connection_ack" });
  }

  subscriptions(): string[] {
    return this.sent.filter((m) => m.type === "subscribe").map((m) => m.id ?? "");
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe("LiveConnection", () => {
  beforeEach(() => {
    FakeSocket.made = [];
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function connect() {
    const statuses: ConnectionStatus[] = [];
    const events = { resyncs: 0, authFailures: [] as string[], data: [] as unknown[] };
    const connection = new LiveConnection({
      url: "ws://test/graphql",
      token: () => "fgt_test",
      onAuthFailure: (reason) => events.authFailures.push(reason),
      onResync: () => {
        events.resyncs += 1;
      },
      onStatus: (status) => statuses.push(status),
      offlineAfterMs: 5_000,
      webSocketImpl: FakeSocket,
    });
    connection.subscribe("subscription { machineStateChanged { machineId } }", {}, (data) =>
      events.data.push(data),
    );
    return { connection, statuses, events };
  }

  it("authenticates in connection_init and reports live once acknowledged", async () => {
    const { connection, statuses } = connect();
    await flush();
    const socket = FakeSocket.made[0];
    expect(socket?.sent[0]).toEqual({
      type: "connection_init",
      payload: { Authorization: "Bearer fgt_test" },
    });
    socket?.ackAndServe();
    await flush();
    expect(statuses).toEqual(["live"]);
    expect(socket?.subscriptions()).toHaveLength(1);
    connection.dispose();
  });

  it("after a 4429 close it makes a fresh client, resubscribes and asks for a resync", async () => {
    const { connection, statuses, events } = connect();
    await flush();
    FakeSocket.made[0]?.ackAndServe();
    await flush();
    FakeSocket.made[0]?.close(4429, "subscriber too slow");
    await flush();
    expect(statuses.at(-1)).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(15_000);
    await flush();
    const fresh = FakeSocket.made.at(-1);
    expect(FakeSocket.made.length).toBeGreaterThan(1);
    fresh?.ackAndServe();
    await flush();
    expect(statuses.at(-1)).toBe("live");
    expect(events.resyncs).toBe(1);
    expect(fresh?.subscriptions()).toHaveLength(1);
    const id = fresh?.subscriptions()[0];
    fresh?.serverSays({
      type: "next",
      id,
      payload: { data: { machineStateChanged: { machineId: "M-1" } } },
    });
    expect(events.data).toEqual([{ machineStateChanged: { machineId: "M-1" } }]);
    connection.dispose();
  });

  it("a 4403 close ends the session instead of retrying", async () => {
    const { connection, events } = connect();
    await flush();
    FakeSocket.made[0]?.close(4403, "Forbidden");
    await flush();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(events.authFailures).toHaveLength(1);
    expect(events.authFailures[0]).toMatch(/revoked or wrong/);
    expect(FakeSocket.made).toHaveLength(1);
    connection.dispose();
  });

  it("an ordinary drop reconnects, says reconnecting, then offline past the threshold", async () => {
    const { connection, statuses, events } = connect();
    await flush();
    FakeSocket.made[0]?.ackAndServe();
    await flush();
    // Every new socket fails straight away: the server is gone.
    FakeSocket.made[0]?.close(1006, "");
    await flush();
    expect(statuses.at(-1)).toBe("reconnecting");
    for (const socket of FakeSocket.made.slice(1)) socket.close(1006, "");
    await vi.advanceTimersByTimeAsync(5_001);
    expect(statuses.at(-1)).toBe("offline");
    const last = FakeSocket.made.at(-1);
    last?.ackAndServe();
    await flush();
    if (last && last !== FakeSocket.made[0]) {
      expect(statuses.at(-1)).toBe("live");
      expect(events.resyncs).toBe(1);
    }
    connection.dispose();
  });
});
