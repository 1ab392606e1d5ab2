// SHA-256/512, HMAC-SHA256 and HKDF-SHA256 against node:crypto, @noble/hashes and hash-wasm.
import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { createHMAC, createSHA256, createSHA512 } from 'hash-wasm';
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { hkdfExpand, hkdfExtract, hmacSha256, sha256, sha512 } from '../../src/crypto.js';
import type { BenchGroup, BenchSuite } from '../suite.js';

const sizes: [string, number][] = [
  ['64 B', 64],
  ['1 KiB', 1024],
  ['64 KiB', 65536],
  ['1 MiB', 1 << 20],
];

export const sha2Suite: BenchSuite = {
  name: 'sha2',
  async groups(): Promise<BenchGroup[]> {
    const hw256 = await createSHA256();
    const hw512 = await createSHA512();
    const hwHmac = await createHMAC(createSHA256(), randomBytes(32));
    const groups: BenchGroup[] = [];
    for (const [label, n] of sizes) {
      const data = randomBytes(n);
      groups.push({
        name: `SHA-256 ${label}`,
        bytes: n,
        targets: n >= 65536 ? [{ peer: 'hash-wasm', atLeast: 1, issue: 'issue 2' }] : n === 64 ? [{ peer: 'node:crypto', atLeast: 1, issue: 'issue 2' }] : [],
        cases: {
          'node:crypto': () => createHash('sha256').update(data).digest(),
          wasmtls: () => sha256(data),
          '@noble/hashes': () => nobleSha256(data),
          'hash-wasm': () => {
            hw256.init();
            hw256.update(data);
            return hw256.digest('binary');
          },
        },
      });
    }
    for (const [label, n] of [sizes[0]!, sizes[2]!]) {
      const data = randomBytes(n);
      groups.push({
        name: `SHA-512 ${label}`,
        bytes: n,
        targets: n === 65536 ? [{ peer: 'hash-wasm', atLeast: 1, issue: 'issue 18 item 6' }] : [],
        cases: {
          'node:crypto': () => createHash('sha512').update(data).digest(),
          wasmtls: () => sha512(data),
          '@noble/hashes': () => nobleSha512(data),
          'hash-wasm': () => {
            hw512.init();
            hw512.update(data);
            return hw512.digest('binary');
          },
        },
      });
    }
    const key = randomBytes(32);
    const msg = randomBytes(64);
    groups.push({
      name: 'HMAC-SHA256 64 B',
      bytes: 64,
      targets: [{ peer: 'node:crypto', atLeast: 1, issue: 'issue 2' }],
      cases: {
        'node:crypto': () => createHmac('sha256', key).update(msg).digest(),
        wasmtls: () => hmacSha256(key, msg),
        '@noble/hashes': () => nobleHmac(nobleSha256, key, msg),
        'hash-wasm': () => {
          hwHmac.init();
          hwHmac.update(msg);
          return hwHmac.digest('binary');
        },
      },
    });
    const salt = randomBytes(32);
    const ikm = randomBytes(32);
    const info = randomBytes(20);
    groups.push({
      name: 'HKDF-SHA256 extract+expand 32 B',
      bytes: 0,
      targets: [{ peer: 'node:crypto', atLeast: 2, issue: 'issue 2' }],
      cases: {
        'node:crypto': () => hkdfSync('sha256', ikm, salt, info, 32),
        wasmtls: () => hkdfExpand('sha256', hkdfExtract('sha256', salt, ikm), info, 32),
        '@noble/hashes': () => nobleHkdf(nobleSha256, ikm, salt, info, 32),
      },
    });
    return groups;
  },
};
