/** What a recall of the searched lot reaches, each id linking to its page, and its CSV. */
import { useState } from "react";
import { useQuery } from "urql";
import { Link } from "wouter";
import { download } from "../../../lib/csv";
import { pageFor } from "../../../lib/links";
import { ErrorBox, Loading } from "../../../ui/QueryState";
import { RecallScopeQuery } from "../api/recall-scope";
import { fileSafe, RECALL_PARTS, recallCsv } from "../model";

/** Ids listed per part; the CSV always has them all. */
const SHOWN = 200;
/** Parts listed openly; the others (every batch and lot reached) sit in a disclosure. */
const OPEN_PARTS = 5;
/**
 * Above this many trace nodes the recall scope waits for a click: on `large`, recallScope
 * took 59 s for a 2,139-node lot and 373 s for a 9,179-node one (timed by hand while
 * building bench.web), and asking for it with every trace piled such requests onto the
 * graph server.
 */
export const AUTO_RECALL_MAX_NODES = 500;

export function RecallScopePanel({ lotId, nodeCount }: { lotId: string; nodeCount: number }) {
  const [asked, setAsked] = useState<string | null>(null);
  const wanted = nodeCount <= AUTO_RECALL_MAX_NODES || asked === lotId;
  const [result, refetch] = useQuery({
    query: RecallScopeQuery,
    variables: { lotId },
    pause: !lotId || !wanted,
  });
  const scope = result.operation?.variables.lotId === lotId ? result.data?.recallScope : undefined;
  return (
    <section
      className="panel trace-recall"
      aria-labelledby="trace-recall-title"
      data-testid="trace-recall"
    >
      <div className="trace-section-head">
        <h2 id="trace-recall-title">Recall scope of {lotId}</h2>
        <button
          type="button"
          className="secondary"
          disabled={!scope}
          onClick={() => scope && download(`recall-${fileSafe(lotId)}.csv`, recallCsv(scope))}
        >
          Export recall scope (CSV)
        </button>
      </div>
      <p className="muted">
        Everything downstream of {lotId} at any depth: what a recall of it must reach.
      </p>
      {!wanted ? (
        <p>
          This trace has {nodeCount.toLocaleString()} nodes: its recall scope can take minutes to
          compute.{" "}
          <button type="button" onClick={() => setAsked(lotId)}>
            Compute the recall scope
          </button>
        </p>
      ) : !scope ? (
        result.error ? (
          <ErrorBox error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />
        ) : (
          <Loading what="the recall scope" />
        )
      ) : (
        <div className="trace-recall-parts">
          {RECALL_PARTS.map((part, index) => {
            const ids = scope[part.key];
            const list = (
              <ul
                key={part.key}
                className="trace-id-list"
                data-testid={`recall-${part.key}`}
                data-count={ids.length}
              >
                {ids.slice(0, SHOWN).map((id) => (
                  <li key={id}>
                    <Link href={pageFor(part.label, id)}>{id}</Link>
                  </li>
                ))}
                {ids.length > SHOWN && (
                  <li className="muted">and {ids.length - SHOWN} more (in the CSV)</li>
                )}
                {ids.length === 0 && <li className="muted">none</li>}
              </ul>
            );
            return index < OPEN_PARTS ? (
              <div key={part.key} className="trace-recall-part">
                <h3>
                  {part.title} <span className="num muted">({ids.length})</span>
                </h3>
                {list}
              </div>
            ) : (
              <details key={part.key} className="trace-recall-part">
                <summary>
                  {part.title} <span className="num">({ids.length})</span>
                </summary>
                {list}
              </details>
            );
          })}
        </div>
      )}
    </section>
  );
}
