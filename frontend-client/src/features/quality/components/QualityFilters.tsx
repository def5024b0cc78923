/**
 * The filters of the quality events page. Selects and dates apply at once; typed text and
 * ids apply after a short pause, so each keystroke does not ask the API again.
 */
import { useEffect, useState } from "react";
import { MinSeveritySelect } from "../../../ui/MinSeveritySelect";
import { KINDS, type QualityView } from "../quality-view";
import { humanQualityKind } from "./QualityRow";

type SetParams = (changes: Record<string, string | null>) => void;

function TypedFilter({
  label,
  name,
  value,
  placeholder,
  setParams,
}: {
  label: string;
  name: string;
  value: string;
  placeholder?: string;
  setParams: SetParams;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => setParams({ [name]: text.trim() || null }), 300);
    return () => clearTimeout(timer);
  }, [text, value, name, setParams]);
  return (
    <label>
      {label}
      <input
        type="search"
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        data-testid={`quality-filter-${name}`}
      />
    </label>
  );
}

export function QualityFilters({ view, setParams }: { view: QualityView; setParams: SetParams }) {
  return (
    <search className="toolbar quality-filters" aria-label="Filter quality events">
      <MinSeveritySelect
        value={view.minSeverity}
        onChange={(severity) => setParams({ severity })}
        testId="quality-filter-severity"
      />
      <label>
        Kind
        <select
          value={view.kind ?? ""}
          onChange={(e) => setParams({ kind: e.target.value || null })}
          data-testid="quality-filter-kind"
        >
          <option value="">Any</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {humanQualityKind(k)}
            </option>
          ))}
        </select>
      </label>
      <TypedFilter label="Description contains" name="q" value={view.q} setParams={setParams} />
      <TypedFilter
        label="Machine id"
        name="machine"
        value={view.machine}
        placeholder="M-0001"
        setParams={setParams}
      />
      <TypedFilter
        label="Batch id"
        name="batch"
        value={view.batch}
        placeholder="B-0000001"
        setParams={setParams}
      />
      <TypedFilter
        label="Lot id"
        name="lot"
        value={view.lot}
        placeholder="ML-0000001"
        setParams={setParams}
      />
      <label>
        From
        <input
          type="date"
          value={view.from}
          max={view.to || undefined}
          onChange={(e) => setParams({ from: e.target.value || null })}
        />
      </label>
      <label>
        To
        <input
          type="date"
          value={view.to}
          min={view.from || undefined}
          onChange={(e) => setParams({ to: e.target.value || null })}
        />
      </label>
      <button
        type="button"
        className="secondary"
        onClick={() =>
          setParams({
            severity: null,
            kind: null,
            q: null,
            machine: null,
            batch: null,
            lot: null,
            from: null,
            to: null,
          })
        }
      >
        Clear filters
      </button>
    </search>
  );
}
