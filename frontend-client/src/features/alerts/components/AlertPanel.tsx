/**
 * The explanation of one alert: its own features that drove the score (gradient × input),
 * the neighbouring entities whose removal lowered it most (occlusion), what it is about and
 * the sales orders it puts at risk, each linking to its page.
 */
import { useEffect, useRef } from "react";
import { useQuery } from "urql";
import { Link, useLocation } from "wouter";
import { pageFor } from "../../../lib/links";
import { formatInstant, formatPercent } from "../../../lib/time";
import { ErrorBox, Loading } from "../../../ui/QueryState";
import { SeverityBadge } from "../../../ui/StateBadge";
import { useLiveFeeds, useLiveRow, useOnResync } from "../../live/hooks";
import { formatHorizon, humanKind, labelOfNodeType } from "../alert-view";
import { AlertDetail } from "../api/alert-detail";
import { AcknowledgeButton } from "./AcknowledgeButton";
import { ContributionBar, ContributionValue } from "./ContributionBar";

export function AlertPanel({ id, closeHref }: { id: string; closeHref: string }) {
  const feeds = useLiveFeeds();
  const live = useLiveRow(feeds.alerts, id);
  const [result, refetch] = useQuery({ query: AlertDetail, variables: { id } });
  useOnResync(() => refetch({ requestPolicy: "network-only" }));
  const alert = result.data?.riskAlert;
  const [, navigate] = useLocation();
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: move focus when another alert opens
  useEffect(() => heading.current?.focus({ preventScroll: true }), [id]);

  let body: React.ReactNode;
  if (result.error && !alert) {
    body = (
      <ErrorBox error={result.error} retry={() => refetch({ requestPolicy: "network-only" })} />
    );
  } else if (!result.data) {
    body = <Loading what="the explanation" />;
  } else if (!alert) {
    body = <p className="state state-empty">There is no alert {id}.</p>;
  } else {
    // The live row is newer than this query when an event arrived since it ran.
    const acknowledged = alert.acknowledged || (live?.acknowledged ?? false);
    const closedAt = live?.closedAt ?? alert.closedAt;
    const features = alert.explanation?.topFeatures ?? [];
    const drivers = alert.explanation?.drivers ?? [];
    const maxFeature = Math.max(0, ...features.map((f) => Math.abs(f.contribution)));
    const maxDriver = Math.max(0, ...drivers.map((d) => Math.abs(d.contribution)));
    body = (
      <>
        <p className="alert-panel-message">
          <SeverityBadge severity={live?.severity ?? alert.severity} />{" "}
          {live?.message ?? alert.message}
        </p>
        <dl className="alert-facts">
          <dt>Kind</dt>
          <dd>{humanKind(alert.kind)}</dd>
          <dt>Probability</dt>
          <dd>{formatPercent(live?.probability ?? alert.probability)}</dd>
          <dt>Horizon</dt>
          <dd>{formatHorizon(alert.horizonH)}</dd>
          <dt>Raised</dt>
          <dd>{formatInstant(alert.createdAt)}</dd>
          <dt>State</dt>
          <dd data-testid="alert-panel-state">
            {acknowledged ? "Acknowledged" : "Not acknowledged"}
            {closedAt ? `, closed ${formatInstant(closedAt)}` : ", open"}
          </dd>
          <dt>About</dt>
          <dd>
            {alert.about.length === 0
              ? "–"
              : alert.about.map((s, i) => (
                  <span key={s.id}>
                    {i > 0 && ", "}
                    <Link href={pageFor(s.label, s.id)}>{s.id}</Link>{" "}
                    <span className="muted">({s.label})</span>
                  </span>
                ))}
          </dd>
        </dl>
        <AcknowledgeButton id={alert.id} acknowledged={acknowledged} />

        <h3 id="alert-features">Top features</h3>
        {features.length === 0 ? (
          <p className="muted">No feature contributions were recorded for this alert.</p>
        ) : (
          <table className="table contributions" aria-labelledby="alert-features">
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col" className="num">
                  Contribution
                </th>
                <th scope="col">
                  <span className="visually-hidden">Bar</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {features.map((f) => (
                <tr key={f.name} data-testid="alert-feature" data-feature-name={f.name}>
                  <th scope="row">{f.name}</th>
                  <td className="num">{Number(f.value.toPrecision(4))}</td>
                  <td className="num" data-contribution={f.contribution}>
                    <ContributionValue value={f.contribution} />
                  </td>
                  <td className="bar-cell">
                    <ContributionBar value={f.contribution} max={maxFeature} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h3 id="alert-drivers">Neighbouring drivers</h3>
        {drivers.length === 0 ? (
          <p className="muted">No neighbouring entity changed the score when left out.</p>
        ) : (
          <table className="table contributions" aria-labelledby="alert-drivers">
            <thead>
              <tr>
                <th scope="col">Entity</th>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Contribution
                </th>
                <th scope="col">
                  <span className="visually-hidden">Bar</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {drivers.map((d) => (
                <tr key={`${d.nodeType}:${d.id}`} data-testid="alert-driver" data-driver-id={d.id}>
                  <th scope="row">
                    <Link href={pageFor(labelOfNodeType(d.nodeType), d.id)} className="subject-id">
                      {d.id}
                    </Link>
                  </th>
                  <td>{humanKind(d.nodeType)}</td>
                  <td className="num">
                    <ContributionValue value={d.contribution} />
                  </td>
                  <td className="bar-cell">
                    <ContributionBar value={d.contribution} max={maxDriver} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h3 id="alert-orders">Sales orders at risk</h3>
        {alert.salesOrders.length === 0 ? (
          <p className="muted">No sales order is affected.</p>
        ) : (
          <table className="table" aria-labelledby="alert-orders">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {alert.salesOrders.map((o) => (
                <tr key={o.id} data-testid="alert-order" data-order-id={o.id}>
                  <th scope="row">
                    <Link href={`/orders/${encodeURIComponent(o.id)}`}>{o.id}</Link>
                  </th>
                  <td>{o.customer?.name ?? "–"}</td>
                  <td>{formatInstant(o.dueAt)}</td>
                  <td>{humanKind(o.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    );
  }

  return (
    <aside
      className="panel alert-panel"
      aria-labelledby="alert-panel-title"
      data-testid="alert-panel"
      data-alert-id={id}
      onKeyDown={(e) => {
        if (e.key === "Escape") navigate(closeHref);
      }}
    >
      <div className="alert-panel-head">
        <h2 id="alert-panel-title" ref={heading} tabIndex={-1}>
          Why alert {id}
        </h2>
        <Link href={closeHref} className="alert-panel-close">
          Close explanation
        </Link>
      </div>
      {body}
    </aside>
  );
}
