/** One quality event: when, how bad, what kind, what it says and what it is about. */
import { Link } from "wouter";
import { pageFor } from "../../../lib/links";
import { formatInstant } from "../../../lib/time";
import { SeverityBadge } from "../../../ui/StateBadge";
import type { LiveQualityEvent } from "../../live/feeds";
import { SUBJECT_WORD, subjectLabel } from "../quality-view";

export function humanQualityKind(kind: string): string {
  const words = kind.replace(/_/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function SubjectLinks({ ids }: { ids: readonly string[] }) {
  if (ids.length === 0) return <>–</>;
  return (
    <>
      {ids.map((id, i) => {
        const label = subjectLabel(id);
        return (
          <span key={id} className="subject">
            {i > 0 && ", "}
            {label && <span className="muted">{SUBJECT_WORD[label]} </span>}
            <Link href={pageFor(label ?? "", id)} data-testid="quality-subject">
              {id}
            </Link>
          </span>
        );
      })}
    </>
  );
}

export function QualityRow({
  event,
  highlighted,
  isNew,
  href,
  index,
  measure,
}: {
  event: LiveQualityEvent;
  highlighted: boolean;
  isNew: boolean;
  href: string;
  index: number;
  measure?: (el: Element | null) => void;
}) {
  return (
    <tr
      ref={measure}
      data-index={index}
      data-testid="quality-row"
      data-event-id={event.id}
      data-highlighted={highlighted ? "true" : undefined}
      className={highlighted ? "selected" : undefined}
      aria-current={highlighted ? "true" : undefined}
    >
      <td className="nowrap">{formatInstant(event.occurredAt)}</td>
      <td>
        <SeverityBadge severity={event.severity} />
      </td>
      <td>{humanQualityKind(event.kind)}</td>
      <td>
        {isNew && <span className="badge new-badge">New</span>} {event.description || "–"}
      </td>
      <td>
        <SubjectLinks ids={event.subjectIds} />
      </td>
      <td className="nowrap">
        <Link href={href}>{event.id}</Link>
      </td>
    </tr>
  );
}
