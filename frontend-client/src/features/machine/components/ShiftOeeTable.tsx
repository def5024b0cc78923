/** OEE per shift with every input of its ratios, and the machine's total over the window. */
import type { MachineShiftOeeQuery } from "../../../gql/graphql";
import { formatInstant, formatNumber, formatPercent } from "../../../lib/time";
import { formatHms } from "../machine-model";

type Report = MachineShiftOeeQuery["shiftOee"];
type Measures = Omit<Report["machines"][number], "shiftCount" | "__typename">;

const FIELDS: ReadonlyArray<{
  key: keyof Measures;
  label: string;
  format: (v: number | null | undefined) => string;
}> = [
  { key: "availability", label: "Availability", format: formatPercent },
  { key: "performance", label: "Performance", format: formatPercent },
  { key: "quality", label: "Quality", format: formatPercent },
  { key: "oee", label: "OEE", format: formatPercent },
  { key: "plannedBusyTimeS", label: "Planned busy time", format: formatHms },
  { key: "actualProductionTimeS", label: "Actual production time", format: formatHms },
  { key: "idleTimeS", label: "Idle", format: formatHms },
  { key: "downTimeS", label: "Down", format: formatHms },
  { key: "unknownTimeS", label: "Unknown", format: formatHms },
  { key: "idealProductionTimeS", label: "Ideal production time", format: formatHms },
  { key: "goodCount", label: "Good", format: (v) => formatNumber(v, 1) },
  { key: "scrapCount", label: "Scrap", format: (v) => formatNumber(v, 1) },
  { key: "producedCount", label: "Produced", format: (v) => formatNumber(v, 1) },
];

function cells(m: Measures) {
  return FIELDS.map((f) => {
    const raw = m[f.key] as number | null | undefined;
    return (
      <td key={f.key} className="num" data-field={f.key} data-raw={raw ?? ""}>
        {f.format(raw)}
      </td>
    );
  });
}

export function ShiftOeeTable({ report }: { report: Report }) {
  const total = report.machines[0];
  return (
    <section
      className="table-scroll"
      data-testid="shift-oee"
      data-from={report.from}
      data-to={report.to}
      aria-labelledby="shift-oee-caption"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolled region must be reachable by keyboard
      tabIndex={0}
    >
      <table className="table shift-oee-table">
        <caption id="shift-oee-caption" className="visually-hidden">
          OEE per shift, {formatInstant(report.from)} to {formatInstant(report.to)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Shift</th>
            {FIELDS.map((f) => (
              <th key={f.key} scope="col" className="num">
                {f.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => (
            <tr
              key={row.shift.id}
              data-testid="shift-oee-row"
              data-shift-id={row.shift.id}
              data-complete={String(row.complete)}
            >
              <th scope="row">
                {row.shift.name} <span className="muted">{formatInstant(row.shift.from)}</span>
                {row.complete ? null : <span className="badge state-running">running</span>}
              </th>
              {cells(row)}
            </tr>
          ))}
        </tbody>
        {total ? (
          <tfoot>
            <tr data-testid="shift-oee-total">
              <th scope="row">All {total.shiftCount} shifts</th>
              {cells(total)}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </section>
  );
}
