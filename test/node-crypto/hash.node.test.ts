// SHA-256/384, HMAC and HKDF of the node-crypto provider (src/node-crypto/hash.ts):
// every Wycheproof HKDF case, and agreement with the WASM core on random
// inputs split three ways for the incremental hasher.
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { hkdfExpand, hkdfExtract, hmac, sha256, sha384 } from '../../src/crypto.js';
import { NODE_SHA256, NODE_SHA384 } from '../../src/node-crypto/hash.js';
import { fromHex, toHex } from '../helpers/hex.js';
import { expectBytes, runWycheproof, type WycheproofFile } from '../helpers/wycheproof.js';
import h256 from '../vectors/wycheproof/hkdf_sha256_test.json' with { type: 'json' };
import h384 from '../vectors/wycheproof/hkdf_sha384_test.json' with { type: 'json' };

for (const [name, file, h] of [
  ['hkdf_sha256_test.json', h256, NODE_SHA256],
  ['hkdf_sha384_test.json', h384, NODE_SHA384],
] as const) {
  describe(name, () => {
    runWycheproof(name, file as unknown as WycheproofFile, (c) => {
      // HKDF-Expand refuses L > 255 * HashLen (RFC 5869 §2.3): those cases are `invalid`.
      const okm = h.expand(h.extract(fromHex(c.salt as string), fromHex(c.ikm as string)), fromHex(c.info as string), c.size as number);
      expectBytes(okm, c.okm as string, `tcId ${c.tcId}`);
      return 'pass';
    });
  });
}

describe('agreement with the WASM core', () => {
  for (const [h, wasmHash] of [
    [NODE_SHA256, sha256],
    [NODE_SHA384, sha384],
  ] as const) {
    test(`${h.name}: digest, incremental (split three ways, cloned), HMAC, HKDF`, () => {
      for (let i = 0; i < 50; i++) {
        const data = randomBytes([0, 1, 55, 64, 65, 127, 128, 1000, 3000][i % 9] as number);
        expect(toHex(h.digest(data))).toBe(toHex(wasmHash(data)));
        const a = Math.floor(data.length / 3);
        const b = Math.floor((2 * data.length) / 3);
        const inc = h.create().update(data.subarray(0, a)).update(data.subarray(a, b));
        const copy = inc.clone();
        expect(toHex(inc.update(data.subarray(b)).digest())).toBe(toHex(wasmHash(data)));
        expect(toHex(copy.digest())).toBe(toHex(wasmHash(data.subarray(0, b))));
        const key = randomBytes(i % 3 === 0 ? 0 : i * 3);
        expect(toHex(h.hmac(key, data))).toBe(toHex(hmac(h.name, key, data)));
        expect(toHex(h.extract(key, data))).toBe(toHex(hkdfExtract(h.name, key, data)));
        const len = [0, 1, h.length, h.length + 1, 255 * h.length][i % 5] as number;
        expect(toHex(h.expand(key.length ? key : new Uint8Array(h.length), data.subarray(0, 40), len))).toBe(
          toHex(hkdfExpand(h.name, key.length ? key : new Uint8Array(h.length), data.subarray(0, 40), len)),
        );
      }
      expect(() => h.expand(new Uint8Array(h.length), new Uint8Array(0), 255 * h.length + 1)).toThrow();
    });
  }
});
