/** The machine's current values with their quality, status code and source time. */
import { isStale } from "../../../app/stale";
import type { MachineDetailQuery } from "../../../gql/graphql";
import { formatInstant } from "../../../lib/time";
import { QualityMark, qualityIssue, valueText } from "../../../ui/MachineValueText";

type Value = NonNullable<MachineDetailQuery["machine"]>["values"][number];

export function ValuesTable({
  values,
  staleAfterS,
}: {
  values: readonly Value[];
  staleAfterS: number;
}) {
  const now = Date.now();
  return (
    <table className="table values-table" data-testid="machine-values">
      <caption className="visually-hidden">Current values</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" className="num">
            Value
          </th>
          <th scope="col">Unit</th>
          <th scope="col">Quality</th>
          <th scope="col">Status code</th>
          <th scope="col">Source time</th>
        </tr>
      </thead>
      <tbody>
        {values.map((v) => {
          const stale = isStale(v.sourceTimestamp, staleAfterS, now);
          return (
            <tr
              key={v.name}
              className={stale ? "stale" : undefined}
              data-testid="value-row"
              data-value-name={v.name}
              data-source-timestamp={v.sourceTimestamp ?? ""}
              data-stale={stale ? "true" : undefined}
            >
              <th scope="row">{v.name}</th>
              <td className="num" data-field="value">
                {valueText(v)}
              </td>
              <td data-field="unit">{v.unit ?? ""}</td>
              <td data-field="quality">
                {qualityIssue(v.quality) ? <QualityMark quality={v.quality} /> : (v.quality ?? "–")}
              </td>
              <td data-field="statusCode">{v.statusCode ?? "–"}</td>
              <td data-field="sourceTimestamp">
                <time dateTime={v.sourceTimestamp ?? undefined}>
                  {v.sourceTimestamp ? new Date(v.sourceTimestamp).toLocaleTimeString() : "–"}
                </time>{" "}
                <span className="muted">
                  {stale ? `(stale, ${formatInstant(v.sourceTimestamp)})` : ""}
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
