/** What to trace: an id or supplier lot number, the direction and the depth. */
import { type FormEvent, useEffect, useId, useState } from "react";
import { type Direction, MAX_DEPTH_LIMIT, parseDepth } from "../model";

export function TraceForm({
  id,
  dir,
  depth,
  defaultDepth,
  onTrace,
  onDirection,
  onDepth,
}: {
  id: string;
  dir: Direction;
  depth: number | null;
  /** The depth the API used when none was asked for (known once a trace answered). */
  defaultDepth: number | null;
  onTrace: (id: string) => void;
  onDirection: (dir: Direction) => void;
  onDepth: (depth: number | null) => void;
}) {
  const uid = useId();
  const [idText, setIdText] = useState(id);
  const [depthText, setDepthText] = useState(depth === null ? "" : String(depth));
  useEffect(() => setIdText(id), [id]);
  useEffect(() => setDepthText(depth === null ? "" : String(depth)), [depth]);
  const depthInvalid = depthText.trim() !== "" && parseDepth(depthText) === null;

  function submit(event: FormEvent) {
    event.preventDefault();
    const wanted = idText.trim();
    if (wanted) onTrace(wanted);
  }

  function changeDepth(text: string) {
    setDepthText(text);
    if (text.trim() === "") onDepth(null);
    else {
      const parsed = parseDepth(text);
      if (parsed !== null) onDepth(parsed);
    }
  }

  return (
    <search>
      <form className="toolbar trace-form" onSubmit={submit} aria-label="Trace">
        <label htmlFor={`${uid}-id`}>
          Lot id, batch id or supplier lot number
          <input
            id={`${uid}-id`}
            name="id"
            type="search"
            required
            autoComplete="off"
            spellCheck={false}
            value={idText}
            onChange={(e) => setIdText(e.target.value)}
          />
        </label>
        <fieldset className="trace-direction">
          <legend>Direction</legend>
          {(
            [
              ["up", "Upstream", "what it was made from"],
              ["down", "Downstream", "where it went"],
            ] as const
          ).map(([value, title, hint]) => (
            <label key={value}>
              <input
                type="radio"
                name={`${uid}-dir`}
                value={value}
                checked={dir === value}
                onChange={() => onDirection(value)}
              />
              {title} <span className="trace-hint">({hint})</span>
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${uid}-depth`}>
          Max depth (1–{MAX_DEPTH_LIMIT})
          <input
            id={`${uid}-depth`}
            name="depth"
            type="number"
            min={1}
            max={MAX_DEPTH_LIMIT}
            step={1}
            inputMode="numeric"
            className="trace-depth-input"
            value={depthText}
            aria-invalid={depthInvalid}
            aria-describedby={`${uid}-depth-hint`}
            onChange={(e) => changeDepth(e.target.value)}
          />
        </label>
        <span id={`${uid}-depth-hint`} className={depthInvalid ? "trace-invalid" : "trace-hint"}>
          {depthInvalid
            ? `A whole number from 1 to ${MAX_DEPTH_LIMIT}.`
            : depth === null
              ? `Empty: the service's default${defaultDepth === null ? "" : ` (${defaultDepth})`}.`
              : ""}
        </span>
        <button type="submit">Trace</button>
      </form>
    </search>
  );
}
