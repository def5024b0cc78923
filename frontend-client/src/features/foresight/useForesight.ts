/** The foresight model's state, polled every few seconds while it trains. */
import { useEffect } from "react";
import { useQuery } from "urql";
import { ForesightStatusQuery } from "./api/foresight-status";

export function useForesight() {
  const [result, refetch] = useQuery({ query: ForesightStatusQuery });
  const state = result.data?.foresight.state;
  useEffect(() => {
    const every = state === "TRAINING" || state === undefined ? 3_000 : 60_000;
    const timer = setInterval(() => refetch({ requestPolicy: "network-only" }), every);
    return () => clearInterval(timer);
  }, [state, refetch]);
  return result.data?.foresight ?? null;
}
