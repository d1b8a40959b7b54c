// What every measurement file of the benchmark shares: medians, rounding, and the interleaved pairs
// that compare the extension's path with its baseline in the same process.
import { performance } from 'node:perf_hooks';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

/** Lets work an operation left behind (timers, events, I/O callbacks) finish outside the timed region. */
const settle = () => new Promise<void>((r) => setTimeout(r, 2));

/**
 * Runs `a` and `b` `runs` times, interleaved, alternating which goes first, settling between calls so
 * neither is charged for the other's trailing work. Returns the samples.
 */
export async function interleaved(runs: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<{ a: number[]; b: number[] }> {
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const order: Array<[() => Promise<unknown>, number[]]> = i % 2 === 0 ? [[a, out.a], [b, out.b]] : [[b, out.b], [a, out.a]];
    for (const [fn, samples] of order) {
      await settle();
      samples.push((await time(fn))[0]);
    }
  }
  return out;
}
