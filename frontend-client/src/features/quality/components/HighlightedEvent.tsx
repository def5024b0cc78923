/** The event `?id=` names when the list does not show it (filtered out or not loaded yet). */
import { useQuery } from "urql";
import { Link } from "wouter";
import { formatInstant } from "../../../lib/time";
import { SeverityBadge } from "../../../ui/StateBadge";
import { QualityEventById } from "../api/quality-event";
import { humanQualityKind, SubjectLinks } from "./QualityRow";

export function HighlightedEvent({ id, closeHref }: { id: string; closeHref: string }) {
  const [result] = useQuery({ query: QualityEventById, variables: { ids: [id] } });
  const event = result.data?.qualityEvents.nodes[0];
  return (
    <section
      className="panel quality-highlight"
      aria-labelledby="quality-highlight-title"
      data-testid="quality-highlight"
    >
      <h2 id="quality-highlight-title">Quality event {id}</h2>
      {result.error ? (
        <p className="state state-error">Could not load it: {result.error.message}</p>
      ) : !result.data ? (
        <p className="muted">Loading…</p>
      ) : !event ? (
        <p className="muted">There is no quality event {id}.</p>
      ) : (
        <>
          <p>
            <SeverityBadge severity={event.severity} /> {humanQualityKind(event.kind)},{" "}
            {formatInstant(event.occurredAt)}: {event.description || "–"}
          </p>
          <p>
            About: <SubjectLinks ids={event.subjectIds} />
          </p>
          <p className="muted">The filters below hide it, or it is further down the list.</p>
        </>
      )}
      <Link href={closeHref}>Stop highlighting</Link>
    </section>
  );
}
