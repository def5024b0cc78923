/**
 * Labels for what each alert is about: live rows carry bare ids, links need the label
 * (Machine, MaterialLot, ...). One query for all listed alerts, asked again only when
 * the set of alert ids changes.
 */
import { useMemo } from "react";
import { useQuery } from "urql";
import { AlertSubjects } from "./api/alert-subjects";

const MAX_IDS = 500;

export interface Subject {
  id: string;
  label: string;
}

export function useAlertSubjects(alertIds: readonly string[]): Map<string, Subject[]> {
  const ids = useMemo(() => [...alertIds].sort().slice(0, MAX_IDS), [alertIds]);
  const key = ids.join("\n");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the ids
  const variables = useMemo(() => ({ ids, first: Math.max(ids.length, 1) }), [key]);
  const [result] = useQuery({
    query: AlertSubjects,
    variables,
    pause: ids.length === 0,
    requestPolicy: "cache-first",
  });
  return useMemo(() => {
    const byAlert = new Map<string, Subject[]>();
    for (const node of result.data?.riskAlerts.nodes ?? []) byAlert.set(node.id, node.about);
    return byAlert;
  }, [result.data]);
}
