// The shape of a benchmark suite: groups of implementations of one operation
// on one input size, each measured in the same run so ratios are fair.

/** One operation at one size, run by several implementations. */
export interface BenchGroup {
  /** What is measured, e.g. "SHA-256 64 B". */
  name: string;
  /** Bytes processed per call, for MB/s; 0 when throughput in bytes is meaningless. */
  bytes: number;
  /** Implementation name to a function doing one operation. `node:crypto` is the baseline. */
  cases: Record<string, () => unknown>;
  /** Targets from the issues, printed beside the figures so that a miss shows on any machine. */
  targets?: readonly BenchTarget[];
}

/** "wasmtls at least `atLeast` times `peer`'s ops/s", from issue `issue`. */
export interface BenchTarget {
  peer: string;
  atLeast: number;
  issue: string;
}

/** A suite: a name and an async factory (peers may need async set-up). */
export interface BenchSuite {
  name: string;
  groups(): Promise<BenchGroup[]>;
}
