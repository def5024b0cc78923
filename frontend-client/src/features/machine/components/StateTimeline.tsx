/**
 * A machine's states over a window as coloured bands, drawn by uPlot. uPlot (and its CSS) is
 * imported here, on first use, so only the machine page loads it. The chart is a picture;
 * the legend beside it says the same in text (time per state).
 */
import { useEffect, useRef, useState } from "react";
import type uPlotType from "uplot";
import { formatDuration } from "../../../lib/time";
import { type Span, TIMELINE_STATES, timelineSeries, timePerState } from "../machine-model";

/** Band colours (the badges' strong colours; unknown is a light grey). */
const COLOURS = ["#17692c", "#c78a00", "#a11212", "#4d4d4d", "#c9ced6"];

let uPlotModule: Promise<typeof uPlotType> | null = null;
function loadUPlot(): Promise<typeof uPlotType> {
  uPlotModule ??= Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(
    ([m]) => m.default,
  );
  return uPlotModule;
}

function options(uPlot: typeof uPlotType, width: number, from: number, to: number) {
  const stepped = uPlot.paths.stepped?.({ align: 1 });
  const opts: uPlotType.Options = {
    width,
    height: 90,
    legend: { show: false },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: [from / 1000, to / 1000] },
      y: { range: [0, 1] },
    },
    axes: [{ stroke: "#4a5361", grid: { stroke: "#e1e4e9" } }, { show: false }],
    series: [
      {},
      ...TIMELINE_STATES.map((s, i) => ({
        label: s.label,
        stroke: "transparent",
        width: 0,
        fill: COLOURS[i],
        paths: stepped,
        points: { show: false },
      })),
    ],
  };
  return opts;
}

export function StateTimeline({
  spans,
  from,
  to,
  title,
  testId,
}: {
  spans: readonly Span[];
  from: number;
  to: number;
  title: string;
  testId: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlotType | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const latest = useRef({ spans, from, to });
  latest.current = { spans, from, to };

  // One chart for the life of the component; data and window changes update it.
  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    loadUPlot()
      .then((uPlot) => {
        const element = holder.current;
        if (cancelled || !element) return;
        const width = Math.max(200, element.clientWidth);
        const now = latest.current;
        chart.current = new uPlot(
          options(uPlot, width, now.from, now.to),
          timelineSeries(now.spans) as uPlotType.AlignedData,
          element,
        );
        observer = new ResizeObserver(() => {
          const w = Math.max(200, element.clientWidth);
          if (chart.current && Math.abs(chart.current.width - w) > 2) {
            chart.current.setSize({ width: w, height: 90 });
          }
        });
        observer.observe(element);
      })
      .catch((error: unknown) => setFailed(String(error)));
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const u = chart.current;
    if (!u) return;
    u.batch(() => {
      u.setData(timelineSeries(spans) as uPlotType.AlignedData, false);
      u.setScale("x", { min: from / 1000, max: to / 1000 });
    });
  }, [spans, from, to]);

  const sums = timePerState(spans);
  return (
    <figure className="state-timeline" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div
        ref={holder}
        className="timeline-chart"
        role="img"
        aria-label={`${title}: state over time`}
      />
      {failed ? <p className="state state-error">Could not draw the chart: {failed}</p> : null}
      <ul className="timeline-legend">
        {TIMELINE_STATES.map((s, i) => (
          <li key={s.label}>
            <span className="swatch" style={{ background: COLOURS[i] }} aria-hidden="true" />
            {s.label} <span className="muted">{formatDuration(sums.get(s.state) ?? 0)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
