/**
 * The app-wide live feeds: four subscriptions on one socket (machine states, risk alerts,
 * work-order progress, quality events), shared by every page through LiveTables.
 *
 * Each feed starts from a snapshot query; on every reconnect (and after a 4429 close, when
 * events were lost) the snapshots are fetched again and merged by the newer-wins rule, so
 * nothing shown is older than what the server holds and no event is lost across a drop.
 */
import { type Client, stringifyDocument } from "@urql/core";
import type {
  MachineState,
  MachineStateFeedSubscription,
  QualityEventFeedSubscription,
  RiskAlertFeedSubscription,
  Severity,
  WorkOrderProgressFeedSubscription,
  WorkOrderStatus,
} from "../../gql/graphql";
import { instant } from "../../lib/event-order";
import { LiveTable, type Scheduler } from "../../lib/live-store";
import { can, type Role } from "../../lib/roles";
import { type ConnectionStatus, LiveConnection } from "../../lib/ws";
import { MachineStateFeed, MachineStatesSnapshot } from "./api/machine-states";
import { QualityEventFeed } from "./api/quality-events";
import { RiskAlertFeed, RiskAlertsSnapshot } from "./api/risk-alerts";
import { WorkOrderProgressFeed } from "./api/work-order-progress";

export interface LiveMachine {
  state: MachineState;
  previousState: MachineState | null;
  since: string | null;
}

export interface LiveAlert {
  id: string;
  severity: Severity;
  message: string;
  createdAt: string;
  acknowledged: boolean;
  kind: string | null;
  probability: number | null;
  horizonH: number | null;
  closedAt: string | null;
  aboutIds: string[];
  salesOrderIds: string[];
}

export interface LiveWorkOrder {
  status: WorkOrderStatus;
  producedQuantity: number | null;
  quantity: number | null;
  unit: string | null;
  at: string;
  batchId: string | null;
}

export interface LiveQualityEvent {
  id: string;
  kind: string;
  severity: Severity;
  occurredAt: string;
  description: string;
  subjectIds: string[];
}

export interface FeedOptions {
  client: Client;
  role: Role;
  token: () => string | null;
  websocketUrl: string;
  onAuthFailure: (reason: string) => void;
  schedule?: Scheduler;
  offlineAfterMs?: number;
}

type Listener = () => void;

export class LiveFeeds {
  readonly machines: LiveTable<LiveMachine>;
  readonly alerts: LiveTable<LiveAlert>;
  readonly workOrders: LiveTable<LiveWorkOrder>;
  readonly qualityEvents: LiveTable<LiveQualityEvent>;
  status: ConnectionStatus = "connecting";
  /** Counts resyncs; pages refetch their own queries when it changes. */
  resyncs = 0;
  lastEventAt: number | null = null;
  alertsLive: boolean;
  private connection: LiveConnection;
  private listeners = new Set<Listener>();
  private unsubscribe: Array<() => void> = [];
  private alertPoll: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: FeedOptions) {
    this.machines = new LiveTable(options.schedule);
    this.alerts = new LiveTable(options.schedule);
    this.workOrders = new LiveTable(options.schedule);
    this.qualityEvents = new LiveTable(options.schedule);
    this.alertsLive = can(options.role, "subscribeRiskAlerts");
    this.connection = new LiveConnection({
      url: options.websocketUrl,
      token: options.token,
      onAuthFailure: options.onAuthFailure,
      onResync: () => this.resync(),
      onStatus: (status) => {
        this.status = status;
        this.notify();
      },
      offlineAfterMs: options.offlineAfterMs,
    });
    this.listen();
    void this.fetchSnapshots();
    if (!this.alertsLive) {
      // riskAlerts is a planner/quality subscription: other roles see alerts by polling.
      this.alertPoll = setInterval(() => void this.fetchAlerts(), 30_000);
    }
  }

  /** Connection status, resyncs and last event time: what the status bar shows. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    for (const stop of this.unsubscribe) stop();
    if (this.alertPoll) clearInterval(this.alertPoll);
    this.connection.dispose();
    this.listeners.clear();
  }

  async resync(): Promise<void> {
    this.resyncs += 1;
    this.notify();
    await this.fetchSnapshots();
  }

  private heard(): void {
    this.lastEventAt = Date.now();
    this.notify();
  }

  private listen(): void {
    const on = <T>(document: Parameters<typeof stringifyDocument>[0], next: (data: T) => void) => {
      this.unsubscribe.push(
        this.connection.subscribe(stringifyDocument(document), {}, (data) => {
          next(data as T);
          this.heard();
        }),
      );
    };
    on<MachineStateFeedSubscription>(MachineStateFeed, ({ machineStateChanged: e }) => {
      this.machines.push({
        id: e.machineId,
        at: instant(e.at),
        apply: () => ({ state: e.state, previousState: e.previousState ?? null, since: e.at }),
      });
    });
    if (this.alertsLive) {
      on<RiskAlertFeedSubscription>(RiskAlertFeed, ({ riskAlerts: e }) => {
        const incoming: LiveAlert = {
          id: e.id,
          severity: e.severity,
          message: e.message,
          createdAt: e.createdAt,
          acknowledged: e.acknowledged,
          kind: e.kind ?? null,
          probability: e.probability ?? null,
          horizonH: e.horizonH ?? null,
          closedAt: e.closedAt ?? null,
          aboutIds: e.aboutIds,
          salesOrderIds: e.affectedSalesOrderIds,
        };
        this.alerts.push({
          id: e.id,
          at: instant(e.at),
          apply: (row) => mergeAlert(row, incoming),
        });
      });
    }
    on<WorkOrderProgressFeedSubscription>(WorkOrderProgressFeed, ({ workOrderProgress: e }) => {
      this.workOrders.push({
        id: e.workOrderId,
        at: instant(e.at),
        apply: () => ({
          status: e.status,
          producedQuantity: e.producedQuantity ?? null,
          quantity: e.quantity ?? null,
          unit: e.unit ?? null,
          at: e.at,
          batchId: e.batchId ?? null,
        }),
      });
    });
    on<QualityEventFeedSubscription>(QualityEventFeed, ({ qualityEvents: e }) => {
      this.qualityEvents.push({
        id: e.id,
        at: instant(e.occurredAt),
        apply: () => ({ ...e, kind: e.kind }),
      });
    });
  }

  private async fetchSnapshots(): Promise<void> {
    await Promise.all([this.fetchMachines(), this.fetchAlerts()]);
  }

  private async fetchMachines(): Promise<void> {
    let after: string | null = null;
    const rows: { id: string; at: number; value: LiveMachine }[] = [];
    for (let page = 0; page < 100; page += 1) {
      const result: Awaited<ReturnType<typeof this.machinePage>> = await this.machinePage(after);
      const machines = result.data?.machines;
      if (!machines) return;
      for (const m of machines.nodes) {
        rows.push({
          id: m.id,
          at: instant(m.stateAt),
          value: { state: m.state, previousState: null, since: m.stateAt ?? null },
        });
      }
      if (!machines.pageInfo.hasNextPage) break;
      after = machines.pageInfo.endCursor ?? null;
    }
    this.machines.applySnapshot(rows);
  }

  private machinePage(after: string | null) {
    return this.options.client
      .query(MachineStatesSnapshot, { after }, { requestPolicy: "network-only" })
      .toPromise();
  }

  private async fetchAlerts(): Promise<void> {
    const result = await this.options.client
      .query(RiskAlertsSnapshot, {}, { requestPolicy: "network-only" })
      .toPromise();
    const nodes = result.data?.riskAlerts.nodes;
    if (!nodes) return;
    this.alerts.applySnapshot(
      nodes.map((a) => ({
        id: a.id,
        at: instant(a.updatedAt ?? a.createdAt),
        value: {
          id: a.id,
          severity: a.severity,
          message: a.message,
          createdAt: a.createdAt,
          acknowledged: a.acknowledged,
          kind: a.kind ?? null,
          probability: a.probability ?? null,
          horizonH: a.horizonH ?? null,
          closedAt: a.closedAt ?? null,
          aboutIds: a.about.map((s) => s.id),
          salesOrderIds: a.salesOrders.map((s) => s.id),
        },
      })),
    );
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** An alert event over the row it updates: acknowledgement and closing never go back. */
export function mergeAlert(current: LiveAlert | undefined, incoming: LiveAlert): LiveAlert {
  if (!current) return incoming;
  return {
    ...incoming,
    kind: incoming.kind ?? current.kind,
    probability: incoming.probability ?? current.probability,
    horizonH: incoming.horizonH ?? current.horizonH,
    acknowledged: current.acknowledged || incoming.acknowledged,
    closedAt: incoming.closedAt ?? current.closedAt,
    aboutIds: incoming.aboutIds.length ? incoming.aboutIds : current.aboutIds,
    salesOrderIds: incoming.salesOrderIds.length ? incoming.salesOrderIds : current.salesOrderIds,
  };
}
