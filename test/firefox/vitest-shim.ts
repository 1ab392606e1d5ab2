// The part of vitest's API the known-answer test files use (describe, test,
// test.each, expect with toBe, toEqual, toThrow, toBeInstanceOf, toMatch,
// toBeGreaterThan, toBeLessThanOrEqual, not, unreachable), so that the same
// files run in Firefox, which Playwright cannot drive here. The Firefox
// harness bundles a test entry with esbuild, aliasing 'vitest' to this file,
// then calls runRegistered() in the page.

type Fn = () => unknown;

interface Registered {
  readonly name: string;
  readonly fn: Fn;
}

const registered: Registered[] = [];
const prefix: string[] = [];

/** Groups tests under a name (run at registration, like vitest). */
export function describe(name: string, body: () => void): void {
  prefix.push(name);
  try {
    body();
  } finally {
    prefix.pop();
  }
}

function format(name: string, args: readonly unknown[]): string {
  let i = 0;
  return name.replace(/%[sidj]/g, () => String(args[i++]));
}

interface TestFn {
  (name: string, fn: Fn): void;
  each<T extends readonly unknown[]>(table: readonly T[]): (name: string, fn: (...args: T) => unknown) => void;
}

/** Registers a test. */
export const test: TestFn = Object.assign(
  (name: string, fn: Fn) => {
    registered.push({ name: [...prefix, name].join(' > '), fn });
  },
  {
    each<T extends readonly unknown[]>(table: readonly T[]) {
      return (name: string, fn: (...args: T) => unknown) => {
        for (const row of table) test(format(name, row), () => fn(...row));
      };
    },
  },
);
export const it = test;

function show(x: unknown): string {
  if (x instanceof Uint8Array) return `Uint8Array[${x.length}]`;
  try {
    return JSON.stringify(x)?.slice(0, 200) ?? String(x);
  } catch {
    return String(x);
  }
}

function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function thrown(fn: unknown): { threw: boolean; error: unknown } {
  try {
    (fn as Fn)();
    return { threw: false, error: undefined };
  } catch (error) {
    return { threw: true, error };
  }
}

function throwMatches(error: unknown, want: unknown): boolean {
  if (want === undefined) return true;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof want === 'string') return message.includes(want);
  if (want instanceof RegExp) return want.test(message);
  if (typeof want === 'function') return error instanceof (want as new () => unknown);
  return false;
}

type Matchers = {
  toBe(want: unknown): void;
  toEqual(want: unknown): void;
  toThrow(want?: unknown): void;
  toBeInstanceOf(want: new (...a: never[]) => unknown): void;
  toMatch(want: RegExp | string): void;
  toBeGreaterThan(want: number | bigint): void;
  toBeLessThanOrEqual(want: number | bigint): void;
};

function matchers(got: unknown, negate: boolean): Matchers {
  const check = (ok: boolean, what: string) => {
    if (ok === negate) throw new Error(`expected ${show(got)} ${negate ? 'not ' : ''}${what}`);
  };
  return {
    toBe: (want) => check(Object.is(got, want), `to be ${show(want)}`),
    toEqual: (want) => check(equal(got, want), `to equal ${show(want)}`),
    toThrow: (want) => {
      const r = thrown(got);
      check(r.threw && throwMatches(r.error, want), `to throw ${want === undefined ? '' : String(want)} (threw ${r.threw ? String(r.error) : 'nothing'})`);
    },
    toBeInstanceOf: (want) => check(got instanceof want, `to be an instance of ${want.name}`),
    toMatch: (want) => check(typeof want === 'string' ? String(got).includes(want) : want.test(String(got)), `to match ${String(want)}`),
    toBeGreaterThan: (want) => check((got as number) > (want as number), `to be greater than ${String(want)}`),
    toBeLessThanOrEqual: (want) => check((got as number) <= (want as number), `to be at most ${String(want)}`),
  };
}

interface Expect {
  (got: unknown): Matchers & { not: Matchers };
  unreachable(message?: string): never;
}

/** The assertions. */
export const expect: Expect = Object.assign((got: unknown) => ({ ...matchers(got, false), not: matchers(got, true) }), {
  unreachable(message?: string): never {
    throw new Error(message ?? 'reached unreachable code');
  },
});

/** One test's outcome. */
export interface ShimResult {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly ms: number;
}

/** Runs every registered test in order; `onResult` after each (for progress). */
export async function runRegistered(onResult?: (r: ShimResult) => void): Promise<ShimResult[]> {
  const out: ShimResult[] = [];
  for (const t of registered) {
    const start = performance.now();
    let r: ShimResult;
    try {
      await t.fn();
      r = { name: t.name, ok: true, ms: performance.now() - start };
    } catch (e) {
      r = { name: t.name, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), ms: performance.now() - start };
    }
    out.push(r);
    onResult?.(r);
  }
  return out;
}
