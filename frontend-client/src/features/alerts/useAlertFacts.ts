/**
 * Facts about the listed alerts that their live rows may lack: the labels of what each is
 * about (live rows carry bare ids; links need Machine, MaterialLot, ...) and kind,
 * probability and horizon (an acknowledgement event carries none of them). One query for
 * all listed alerts, asked again when the set of ids changes or a mutation touches alerts.
 */
import { useMemo } from "react";
import { useQuery } from "urql";
import type { LiveAlert } from "../live/feeds";
import { AlertFacts } from "./api/alert-facts";

const MAX_IDS = 500;

export interface Subject {
  id: string;
  label: string;
}

export interface AlertFact {
  about: Subject[];
  kind: string | null;
  probability: number | null;
  horizonH: number | null;
}

export function useAlertFacts(alertIds: readonly string[]): Map<string, AlertFact> {
  const ids = useMemo(() => [...alertIds].sort().slice(0, MAX_IDS), [alertIds]);
  const key = ids.join("\n");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the ids
  const variables = useMemo(() => ({ ids, first: Math.max(ids.length, 1) }), [key]);
  const [result] = useQuery({
    query: AlertFacts,
    variables,
    pause: ids.length === 0,
    requestPolicy: "cache-first",
  });
  return useMemo(() => {
    const byAlert = new Map<string, AlertFact>();
    for (const node of result.data?.riskAlerts.nodes ?? []) {
      byAlert.set(node.id, {
        about: node.about,
        kind: node.kind ?? null,
        probability: node.probability ?? null,
        horizonH: node.horizonH ?? null,
      });
    }
    return byAlert;
  }, [result.data]);
}

/** The live row, its gaps filled from the queried facts (the live values win when present). */
export function withFacts(alert: LiveAlert, fact: AlertFact | undefined): LiveAlert {
  if (!fact) return alert;
  return {
    ...alert,
    kind: alert.kind ?? fact.kind,
    probability: alert.probability ?? fact.probability,
    horizonH: alert.horizonH ?? fact.horizonH,
  };
}
