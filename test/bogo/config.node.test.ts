// The conformance-suite configurations are data a reviewer reads: every
// disabled BoGo test and every expected tlsfuzzer failure must say why, and
// the BoGo error map must point at strings the shim can print.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { alertName } from '../../src/errors.js';

const bogo = JSON.parse(readFileSync(new URL('./config.json', import.meta.url), 'utf8')) as { DisabledTests: Record<string, string>; ErrorMap: Record<string, string> };
const tlsfuzzer = JSON.parse(readFileSync(new URL('../tlsfuzzer/config.json', import.meta.url), 'utf8')) as {
  groups: { name: string; server: string[]; tests: { name: string; skip?: string; expected_failures?: { probe: string; reason: string }[]; expected_failure_prefixes?: { prefix: string; reason: string }[] }[] }[];
};

describe('test/bogo/config.json', () => {
  test('every disabled pattern carries a reason of at least a few words', () => {
    for (const [pattern, reason] of Object.entries(bogo.DisabledTests)) expect(reason.split(' ').length, pattern).toBeGreaterThanOrEqual(4);
  });
  test('every ErrorMap target is what the shim prints: "<local|remote> <alert name>", or a fixed wasmtls message', () => {
    const alerts = new Set(Array.from({ length: 256 }, (_, i) => alertName(i)));
    for (const [boring, ours] of Object.entries(bogo.ErrorMap)) {
      const m = /^(local|remote) (\w+)$/.exec(ours);
      if (m !== null) expect(alerts.has(m[2] as ReturnType<typeof alertName>), `${boring} -> ${ours}`).toBe(true);
      else expect(ours.length, `${boring} -> ${ours}`).toBeGreaterThan(20);
    }
  });
});

describe('test/tlsfuzzer/config.json', () => {
  test('every script appears once, and every skip and expected failure has a reason', () => {
    const names = tlsfuzzer.groups.flatMap((g) => g.tests.map((t) => t.name));
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => /^test-[a-z0-9_-]+\.py$/.test(n))).toBe(true);
    for (const t of tlsfuzzer.groups.flatMap((g) => g.tests)) {
      if (t.skip !== undefined) expect(t.skip.split(' ').length, t.name).toBeGreaterThanOrEqual(4);
      for (const x of t.expected_failures ?? []) expect(x.reason.split(' ').length, `${t.name}: ${x.probe}`).toBeGreaterThanOrEqual(4);
      for (const x of t.expected_failure_prefixes ?? []) expect(x.reason.split(' ').length, `${t.name}: ${x.prefix}`).toBeGreaterThanOrEqual(4);
    }
  });
});
