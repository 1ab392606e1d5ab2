// Transcript-Hash (RFC 8446 §4.4.1) kept as a running hash: digests between
// additions, digestWith and the HelloRetryRequest rule give the hash of the
// whole message sequence; Hasher.clone forks a running SHA-2 state.
import { describe, expect, test } from 'vitest';
import { sha256, sha384 } from '../bindings/sha2.js';
import { Transcript } from '../src/keyschedule.js';
import { SHA256, SHA384 } from '../src/provider-wasm.js';
import { seededBytes, toHex } from './helpers/hex.js';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('Hasher.clone', () => {
  test.each([
    ['sha256', sha256],
    ['sha384', sha384],
  ] as const)('%s: a clone digests the prefix, the original goes on', (_n, f) => {
    const a = seededBytes(1, 200);
    const b = seededBytes(2, 77);
    const h = f.create().update(a);
    const c = h.clone();
    expect(toHex(c.digest())).toBe(toHex(f(a)));
    h.update(b);
    expect(toHex(h.digest())).toBe(toHex(f(concat([a, b]))));
    expect(() => c.update(a)).toThrow(/already digested/);
  });
});

describe('Transcript running hash', () => {
  test.each([
    ['SHA-256', SHA256],
    ['SHA-384', SHA384],
  ] as const)('%s: every digest equals the hash of all messages so far', (_n, h) => {
    const t = new Transcript(h);
    const msgs: Uint8Array[] = [];
    for (let i = 0; i < 12; i++) {
      // Sizes across the block boundaries and past the initial 1 KiB buffer.
      const m = seededBytes(i, [4, 60, 64, 65, 127, 128, 129, 700, 1500, 3, 2000, 31][i] as number);
      t.add(m);
      msgs.push(m);
      if (i % 3 !== 1) expect(toHex(t.digest())).toBe(toHex(h.digest(concat(msgs))));
      const partial = seededBytes(100 + i, 40);
      expect(toHex(t.digestWith(partial))).toBe(toHex(h.digest(concat([...msgs, partial]))));
    }
    // A returned digest is a copy: changing it changes nothing.
    const d = t.digest();
    d.fill(0);
    expect(toHex(t.digest())).toBe(toHex(h.digest(concat(msgs))));
  });

  test('clear and the HelloRetryRequest rule restart the running hash', () => {
    const t = new Transcript(SHA256);
    const ch1 = concat([Uint8Array.of(1, 0, 0, 3), Uint8Array.of(9, 9, 9)]);
    t.add(ch1);
    t.digest();
    t.helloRetry();
    const synthetic = concat([Uint8Array.of(254, 0, 0, 32), SHA256.digest(ch1)]);
    expect(toHex(t.digest())).toBe(toHex(SHA256.digest(synthetic)));
    const hrr = seededBytes(5, 90);
    t.add(hrr);
    expect(toHex(t.digest())).toBe(toHex(SHA256.digest(concat([synthetic, hrr]))));
    t.clear();
    t.add(hrr);
    expect(toHex(t.digest())).toBe(toHex(SHA256.digest(hrr)));
  });
});
