/** "Minimum severity" as the alerts and quality pages filter by it (empty: any). */
import type { Severity } from "../gql/graphql";
import { SEVERITIES, severityLabel } from "../lib/severity";

export function MinSeveritySelect({
  value,
  onChange,
  testId,
}: {
  value: Severity | null;
  onChange: (severity: string | null) => void;
  testId: string;
}) {
  return (
    <label>
      Minimum severity
      <select
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value || null)}
        data-testid={testId}
      >
        <option value="">Any</option>
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {severityLabel(s)}
          </option>
        ))}
      </select>
    </label>
  );
}
