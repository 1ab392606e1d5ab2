// Runs Wycheproof vector files: every case, honouring `result` and `flags`,
// each failure naming the file and tcId, with counts kept for the report.

import { expect, test } from 'vitest';

export interface WycheproofCase {
  tcId: number;
  comment: string;
  flags: string[];
  result: 'valid' | 'invalid' | 'acceptable';
  [field: string]: unknown;
}

export interface WycheproofGroup {
  tests: WycheproofCase[];
  [field: string]: unknown;
}

export interface WycheproofFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: WycheproofGroup[];
}

/**
 * What a case produced: `pass` when the primitive accepted the input and
 * produced the expected output, `reject` when it refused it (threw or
 * returned false). A wrong output on accepted input is always a failure.
 */
export type Outcome = 'pass' | 'reject';

/**
 * Registers one vitest test per file that runs every case. `acceptable`
 * decides what an `acceptable` case must do (given its flags); by default it
 * may go either way.
 */
export function runWycheproof<G extends WycheproofGroup>(
  fileName: string,
  file: WycheproofFile,
  run: (c: WycheproofCase, group: G) => Outcome,
  acceptable: (c: WycheproofCase) => Outcome | 'either' = () => 'either',
): void {
  test(`Wycheproof ${fileName}: every case`, () => {
    let total = 0;
    let passed = 0;
    const failures: string[] = [];
    for (const group of file.testGroups) {
      for (const c of group.tests) {
        total++;
        let outcome: Outcome | 'wrong';
        try {
          outcome = run(c, group as G);
        } catch (e) {
          if (!(e instanceof Error)) throw e;
          outcome = e.name === 'WrongOutput' ? 'wrong' : 'reject';
        }
        const want = c.result === 'valid' ? 'pass' : c.result === 'invalid' ? 'reject' : acceptable(c);
        if (outcome !== 'wrong' && (want === 'either' || want === outcome)) passed++;
        else failures.push(`${fileName} tcId ${c.tcId} (${c.result}, ${c.flags.join(',')}): got ${outcome}, want ${want}`);
      }
    }
    expect(total).toBe(file.numberOfTests);
    expect(failures).toEqual([]);
    expect(passed).toBe(total);
    console.log(`${fileName}: ${passed}/${total} cases passed`);
  });
}

/** Throws a WrongOutput error (a failure whatever the expected result) unless equal. */
export function expectBytes(got: Uint8Array, wantHex: string, what: string): void {
  let hex = '';
  for (const b of got) hex += b.toString(16).padStart(2, '0');
  if (hex !== wantHex) {
    const e = new Error(`${what}: got ${hex}, want ${wantHex}`);
    e.name = 'WrongOutput';
    throw e;
  }
}
