/** Summary of repeated timings in milliseconds. */
export interface Timings {
  n: number;
  p50: number;
  p95: number;
  mean: number;
  perSecond: number;
}

/** Times `fn` `n` times (after `warmup` untimed runs) and summarises. */
export async function timeIt(
  n: number,
  fn: (i: number) => Promise<unknown> | unknown,
  warmup = 5,
): Promise<Timings> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  const total = performance.now() - started;
  samples.sort((a, b) => a - b);
  return {
    n,
    p50: samples[Math.floor(n * 0.5)],
    p95: samples[Math.floor(n * 0.95)],
    mean: total / n,
    perSecond: (n / total) * 1000,
  };
}

/** One aligned line: label, count, p50/p95 ms, throughput. */
export function formatTimings(label: string, t: Timings): string {
  return `${label.padEnd(44)} n=${String(t.n).padStart(6)}  p50=${
    t.p50.toFixed(3).padStart(8)
  } ms  p95=${t.p95.toFixed(3).padStart(8)} ms  ${t.perSecond.toFixed(0).padStart(7)}/s`;
}
