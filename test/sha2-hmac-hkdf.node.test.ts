// Differential tests against node:crypto on random inputs and lengths.
import { createHash, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { hkdfExpand, hkdfExtract, hmac, sha224, sha256, sha384, sha512 } from '../src/crypto.js';

const hashes = { sha224, sha256, sha384, sha512 } as const;
const names = ['sha224', 'sha256', 'sha384', 'sha512'] as const;

function nodeHash(name: string, data: Uint8Array): string {
  return createHash(name).update(data).digest('hex');
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe.each(names)('%s against node:crypto', (name) => {
  const fn = hashes[name];
  test('random lengths 0 to 70,000 bytes', () => {
    const lengths = [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 65535, 65536, 65537, 70000];
    for (let i = 0; i < 40; i++) lengths.push(randomInt(0, 70_001));
    for (const n of lengths) {
      const data = randomBytes(n);
      expect(hex(fn(data)), `length ${n}`).toBe(nodeHash(name, data));
    }
  });
  test('every split of inputs up to 256 bytes into three updates', () => {
    const data = randomBytes(256);
    for (let n = 0; n <= 256; n += n < 140 ? 1 : 29) {
      const msg = data.subarray(0, n);
      const want = nodeHash(name, msg);
      for (let a = 0; a <= n; a++) {
        for (let b = a; b <= n; b++) {
          const got = fn.create().update(msg.subarray(0, a)).update(msg.subarray(a, b)).update(msg.subarray(b)).digest();
          if (hex(got) !== want) expect.fail(`${name} length ${n} split ${a}/${b}`);
        }
      }
    }
  });
  test('HMAC with random keys and data', () => {
    for (let i = 0; i < 60; i++) {
      const key = randomBytes(randomInt(0, 300));
      const data = randomBytes(i < 5 ? randomInt(65_000, 140_000) : randomInt(0, 5000));
      expect(hex(hmac(name, key, data))).toBe(createHmac(name, key).update(data).digest('hex'));
    }
    const bigKey = randomBytes(70_000);
    const data = randomBytes(70_000);
    expect(hex(hmac(name, bigKey, data))).toBe(createHmac(name, bigKey).update(data).digest('hex'));
  });
  test('HKDF with random salt, ikm, info and lengths', () => {
    const max = 255 * fn.outputLen;
    for (let i = 0; i < 60; i++) {
      const salt = randomBytes(randomInt(0, 100));
      const ikm = randomBytes(randomInt(0, 100));
      const info = randomBytes(randomInt(0, 200));
      const len = randomInt(1, max + 1);
      const okm = hkdfExpand(name, hkdfExtract(name, salt, ikm), info, len);
      expect(hex(okm)).toBe(Buffer.from(hkdfSync(name, ikm, salt, info, len)).toString('hex'));
    }
  });
});
