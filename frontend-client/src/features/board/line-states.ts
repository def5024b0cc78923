/**
 * The tile states of one line, as its tiles computed them, so the line header counts exactly
 * what the tiles show. Tiles write their state when it changes; the header subscribes to one
 * key (the counts), so an event re-renders the header only when a count moves.
 */
import type { TileState } from "../../ui/StateBadge";
import { countStates } from "./board-model";

type Listener = () => void;

export class LineStates {
  private states = new Map<string, TileState>();
  private listeners = new Set<Listener>();
  private key = "";

  set(machineId: string, state: TileState): void {
    if (this.states.get(machineId) === state) return;
    this.states.set(machineId, state);
    this.changed();
  }

  delete(machineId: string): void {
    if (this.states.delete(machineId)) this.changed();
  }

  counts(): Record<TileState, number> {
    return countStates(this.states.values());
  }

  /** A string that changes exactly when the counts do (for useSyncExternalStore). */
  countsKey(): string {
    return this.key;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    const key = JSON.stringify(this.counts());
    if (key === this.key) return;
    this.key = key;
    for (const listener of this.listeners) listener();
  }
}
