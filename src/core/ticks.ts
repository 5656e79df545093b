// Axis ticks shared by the webview's charts and the HTML export's inline SVG charts.

/**
 * Axis ticks at a 1-2-5 step that enclose [min, max] (the first tick ≤ min, the last ≥ max): the widest step that
 * gives at least `minTicks` ticks and lets the data fill at least half of the axis (at most 10 ticks for that).
 */
export function niceScale(min: number, max: number, minTicks = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (!Number.isFinite(max - min)) return [min, max];
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const d = Math.abs(min) * 0.1 || 1;
    min -= d;
    max += d;
  }
  const round = (v: number) => Number(v.toPrecision(12));
  for (let e = Math.ceil(Math.log10(max - min)); e > -300; e--) {
    for (const m of [5, 2, 1]) {
      const step = m * 10 ** e;
      const first = Math.floor(round(min / step));
      const last = Math.ceil(round(max / step));
      const count = last - first + 1;
      if (count >= 10 || (count >= minTicks && (max - min) / ((last - first) * step) >= 0.5)) return Array.from({ length: count }, (_, i) => round((first + i) * step) || 0);
    }
  }
  return [min, max]; // a span too small for any decimal step (subnormal numbers)
}
