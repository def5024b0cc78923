/**
 * A contribution as a small diverging bar: right of the centre line raises the risk,
 * left of it lowers it; its length is relative to the largest contribution shown.
 */
export function ContributionBar({ value, max }: { value: number; max: number }) {
  const share = max > 0 ? Math.min(Math.abs(value) / max, 1) : 0;
  const width = `${(share * 50).toFixed(1)}%`;
  const raises = value >= 0;
  return (
    <span className="contribution-bar" aria-hidden="true">
      <span
        className={raises ? "contribution-fill raises" : "contribution-fill lowers"}
        style={raises ? { left: "50%", width } : { right: "50%", width }}
      />
    </span>
  );
}

/** "+0.451" / "−0.273" with the direction in words for screen readers. */
export function ContributionValue({ value }: { value: number }) {
  const sign = value >= 0 ? "+" : "−";
  return (
    <>
      {sign}
      {Math.abs(value).toFixed(3)}
      <span className="visually-hidden">{value >= 0 ? " (raises the risk)" : " (lowers it)"}</span>
    </>
  );
}
