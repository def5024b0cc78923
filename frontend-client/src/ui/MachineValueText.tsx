/** A machine value as read on the floor: number or text, its unit, and a mark when not good. */

export interface ValueLike {
  value?: number | null;
  text?: string | null;
  unit?: string | null;
  quality?: string | null;
}

/** The value as text ("310.3", "Processing", "–"), without its unit. */
export function valueText(v: ValueLike): string {
  if (v.value !== null && v.value !== undefined && Number.isFinite(v.value)) {
    return v.value.toLocaleString(undefined, { maximumFractionDigits: 2 });
  }
  return v.text ?? "–";
}

/** "bad" or "uncertain" (lower case), or null for a good (or unstated) reading. */
export function qualityIssue(quality: string | null | undefined): "bad" | "uncertain" | null {
  const q = (quality ?? "").toLowerCase();
  if (q.startsWith("bad")) return "bad";
  if (q.startsWith("uncertain")) return "uncertain";
  return null;
}

export function QualityMark({ quality }: { quality: string | null | undefined }) {
  const issue = qualityIssue(quality);
  if (!issue) return null;
  return (
    <span
      className={`badge quality-mark quality-${issue} ${issue === "bad" ? "severity-critical" : "severity-medium"}`}
      title={issue === "bad" ? "Bad reading: the last good value is shown" : "Uncertain reading"}
    >
      {issue}
    </span>
  );
}

export function MachineValueText({ value }: { value: ValueLike }) {
  return (
    <>
      <span className="value-number">{valueText(value)}</span>
      {value.unit ? <span className="value-unit"> {value.unit}</span> : null}
      <QualityMark quality={value.quality} />
    </>
  );
}
