// A dudect-style leakage test (Reparaz, Balasch, Verbauwhede, "Dude, is my
// code constant time?", DATE 2017): time an operation on inputs of two
// classes, a fixed secret and random secrets, interleaved in random order,
// and compare the two timing distributions with Welch's t-test. |t| above
// 4.5 rejects "the timing does not depend on the class" with high
// confidence. Like dudect, the test is also run on the measurements cropped
// below a ladder of upper percentiles (long tails are mostly interrupts and
// GC), and the largest |t| is the one reported.

/** Welford's online mean and variance of one class. */
class Moments {
  n = 0;
  mean = 0;
  m2 = 0;

  push(x: number): void {
    this.n++;
    const d = x - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (x - this.mean);
  }

  get variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : 0;
  }
}

/** Welch's t statistic of two classes; 0 when either is too small. */
function welch(a: Moments, b: Moments): number {
  if (a.n < 2 || b.n < 2) return 0;
  const se = Math.sqrt(a.variance / a.n + b.variance / b.n);
  return se === 0 ? 0 : (a.mean - b.mean) / se;
}

/** One measured operation: `prepare` builds an input of a class outside the timing; `run` is timed. */
export interface Target<I> {
  readonly name: string;
  /**
   * Input for the fixed class (0) or a fresh random one (class 1). Class 0
   * should return a fresh copy too, so that both classes read memory that is
   * equally cold. All inputs are made before the first timing.
   */
  prepare(cls: 0 | 1): I;
  /** The operation on that input. Its result is ignored. */
  run(input: I): void;
}

/** Result of one {@link measure}. */
export interface Leakage {
  readonly name: string;
  /** Measurements per class. */
  readonly counts: readonly [number, number];
  /** Calls per measurement. */
  readonly batch: number;
  /** Mean nanoseconds per call, per class. */
  readonly meanNs: readonly [number, number];
  /** |t| over all measurements. */
  readonly tRaw: number;
  /** The largest |t| over all measurements and the dudect percentile crops (at least 1 % of the data kept). */
  readonly tMax: number;
  /** The fraction of measurements kept where tMax was found (1 = uncropped). */
  readonly tMaxAt: number;
  /** Mean nanoseconds per call, per class, in the measurements where tMax was found. */
  readonly tMaxMeanNs: readonly [number, number];
}

/**
 * Times `target` `measurements` times, each a batch of `batch` calls on one
 * input of a class drawn at random, with `process.hrtime.bigint()` around
 * the batch. Inputs are made first (as dudect does), so that allocating
 * random inputs cannot bring garbage collections into one class's timings
 * (measured: it did, |t| ≈ 40 on AES-GCM before this). A warm-up of a tenth
 * of the measurements is discarded. `beforeTiming` runs once, after the
 * inputs are made (a forced GC).
 */
export function measure<I>(target: Target<I>, measurements: number, batch = 1, beforeTiming?: () => void): Leakage {
  const warm = Math.floor(measurements / 10);
  const classes = new Uint8Array(measurements + warm);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let i = 0; i < classes.length; i += 65536) crypto.getRandomValues(classes.subarray(i, i + 65536));
  for (let i = 0; i < classes.length; i++) classes[i]! &= 1;
  const inputs = Array.from(classes, (c) => target.prepare(c as 0 | 1));
  const times = new Float64Array(measurements);
  beforeTiming?.();
  for (let i = 0; i < classes.length; i++) {
    const input = inputs[i] as I;
    const t0 = process.hrtime.bigint();
    for (let j = 0; j < batch; j++) target.run(input);
    const dt = Number(process.hrtime.bigint() - t0);
    if (i >= warm) times[i - warm] = dt;
  }
  const cls = classes.subarray(warm);

  // dudect's crop thresholds: the 1 - 0.5^(10 (k + 1) / 100) percentiles, k = 0 .. 99.
  const sorted = Float64Array.from(times).sort();
  const thresholds = Array.from({ length: 100 }, (_, k) => sorted[Math.min(sorted.length - 1, Math.floor((1 - 0.5 ** ((10 * (k + 1)) / 100)) * sorted.length))]!);
  const all: [Moments, Moments] = [new Moments(), new Moments()];
  const cropped = thresholds.map(() => [new Moments(), new Moments()] as [Moments, Moments]);
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const c = cls[i]!;
    all[c]!.push(t);
    for (let k = 0; k < thresholds.length; k++) if (t < thresholds[k]!) cropped[k]![c]!.push(t);
  }
  const tRaw = Math.abs(welch(all[0], all[1]));
  let tMax = tRaw;
  let tMaxAt = 1;
  let at: [Moments, Moments] = all;
  for (const pair of cropped) {
    const [a, b] = pair;
    const kept = (a.n + b.n) / times.length;
    if (kept < 0.01) continue;
    const t = Math.abs(welch(a, b));
    if (t > tMax) {
      tMax = t;
      tMaxAt = kept;
      at = pair;
    }
  }
  return {
    name: target.name,
    counts: [all[0].n, all[1].n],
    batch,
    meanNs: [all[0].mean / batch, all[1].mean / batch],
    tRaw,
    tMax,
    tMaxAt,
    tMaxMeanNs: [at[0].mean / batch, at[1].mean / batch],
  };
}

/** One line per result, for the test output. */
export function describeLeakage(r: Leakage): string {
  return (
    `${r.name}: |t| = ${r.tMax.toFixed(2)} (uncropped ${r.tRaw.toFixed(2)}), ${r.counts[0]} + ${r.counts[1]} measurements of ${r.batch} call(s), ` +
    `mean ${r.meanNs[0].toFixed(0)} / ${r.meanNs[1].toFixed(0)} ns per call (class 0 / class 1); where |t| peaks (fastest ${(r.tMaxAt * 100).toFixed(0)} %): ` +
    `${r.tMaxMeanNs[0].toFixed(0)} / ${r.tMaxMeanNs[1].toFixed(0)} ns`
  );
}
