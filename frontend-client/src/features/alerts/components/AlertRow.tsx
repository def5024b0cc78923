/** One alert in the list; its message opens the explanation panel (`?alert=ID`). */
import { Link } from "wouter";
import { pageFor } from "../../../lib/links";
import { formatInstant, formatPercent } from "../../../lib/time";
import { SeverityBadge } from "../../../ui/StateBadge";
import type { LiveAlert } from "../../live/feeds";
import { formatHorizon, humanKind } from "../alert-view";
import type { Subject } from "../useAlertFacts";
import { AcknowledgeButton } from "./AcknowledgeButton";

export function AlertRow({
  alert,
  subjects,
  href,
  selected,
  index,
  measure,
}: {
  alert: LiveAlert;
  /** Labelled subjects when known; otherwise the bare ids link to search. */
  subjects: Subject[] | undefined;
  href: string;
  selected: boolean;
  index: number;
  measure?: (el: Element | null) => void;
}) {
  const about = subjects ?? alert.aboutIds.map((id) => ({ id, label: "" }));
  return (
    <tr
      ref={measure}
      data-index={index}
      data-testid="alert-row"
      data-alert-id={alert.id}
      data-acknowledged={alert.acknowledged ? "true" : "false"}
      className={selected ? "selected" : undefined}
      aria-current={selected ? "true" : undefined}
    >
      <td>
        <SeverityBadge severity={alert.severity} />
      </td>
      <td className="alert-message">
        <Link href={href}>{alert.message}</Link>
      </td>
      <td>{humanKind(alert.kind)}</td>
      <td className="num" data-testid="alert-probability">
        {formatPercent(alert.probability)}
      </td>
      <td className="num">{formatHorizon(alert.horizonH)}</td>
      <td className="nowrap">{formatInstant(alert.createdAt)}</td>
      <td>
        {about.length === 0
          ? "–"
          : about.map((s, i) => (
              <span key={s.id}>
                {i > 0 && ", "}
                <Link href={pageFor(s.label, s.id)} className="subject-id">
                  {s.id}
                </Link>
              </span>
            ))}
      </td>
      <td data-testid="alert-state">
        {alert.acknowledged ? (
          <span className="badge ack-badge">Acknowledged</span>
        ) : alert.closedAt ? (
          <span className="badge closed-badge">Closed</span>
        ) : (
          <span className="badge open-badge">Open</span>
        )}{" "}
        <AcknowledgeButton id={alert.id} acknowledged={alert.acknowledged} compact />
      </td>
    </tr>
  );
}
