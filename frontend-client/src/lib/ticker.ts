/**
 * Clocks for live durations without a timer per component: one shared 1 s tick for every
 * "time in state" on screen, and a boolean that flips once when a deadline passes (a value
 * going stale) instead of re-rendering every second to find out.
 */
import { useEffect, useState, useSyncExternalStore } from "react";

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** Epoch ms, updated once a second for as long as some component reads it. */
export function useSecondTick(): number {
  return useSyncExternalStore(subscribe, () => now);
}

/** Whether `deadline` (epoch ms) has passed; re-renders once, when it does. */
export function useIsPast(deadline: number): boolean {
  const [past, setPast] = useState(() => Date.now() >= deadline);
  useEffect(() => {
    const wait = deadline - Date.now();
    setPast(wait <= 0);
    if (wait <= 0) return;
    // setTimeout holds at most ~24.8 days; a later deadline is re-checked then.
    const timeout = setTimeout(
      () => setPast(Date.now() >= deadline),
      Math.min(wait + 5, 2 ** 31 - 1),
    );
    return () => clearTimeout(timeout);
  }, [deadline]);
  return past;
}
