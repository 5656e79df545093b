// Timing helpers shared by the benchmarks: the median of repeated runs, measured in the same process as its baseline.

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs `fn` `runs` times; the median time in milliseconds and the last value. */
export async function time<T>(fn: () => Promise<T> | T, runs = 7): Promise<{ ms: number; value: T }> {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    value = await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: median(times), value };
}
