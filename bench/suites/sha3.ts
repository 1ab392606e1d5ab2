// SHA3-256 and SHAKE128 (the Keccak-f[1600] of ML-KEM) against node:crypto
// (OpenSSL), @noble/hashes and hash-wasm.
import { sha3_256 as nobleSha3, shake128 as nobleShake128 } from '@noble/hashes/sha3.js';
import { createSHA3 } from 'hash-wasm';
import { createHash, randomBytes } from 'node:crypto';
import { sha3_256, shake128 } from '../../src/crypto.js';
import type { BenchGroup, BenchSuite } from '../suite.js';

export const sha3Suite: BenchSuite = {
  name: 'sha3',
  async groups(): Promise<BenchGroup[]> {
    const hw = await createSHA3(256);
    const groups: BenchGroup[] = [];
    for (const [label, n] of [['64 B', 64], ['16 KiB', 16384]] as const) {
      const data = randomBytes(n);
      groups.push({
        name: `SHA3-256 ${label}`,
        bytes: n,
        cases: {
          'node:crypto': () => createHash('sha3-256').update(data).digest(),
          wasmtls: () => sha3_256(data),
          '@noble/hashes': () => nobleSha3(data),
          'hash-wasm': () => {
            hw.init();
            hw.update(data);
            return hw.digest('binary');
          },
        },
      });
    }
    // ML-KEM's matrix expansion: 34 bytes in, 504 out (three SHAKE128 blocks).
    const seed = randomBytes(34);
    groups.push({
      name: 'SHAKE128 34 B -> 504 B',
      bytes: 504,
      cases: {
        'node:crypto': () => createHash('shake128', { outputLength: 504 }).update(seed).digest(),
        wasmtls: () => shake128(seed, 504),
        '@noble/hashes': () => nobleShake128(seed, { dkLen: 504 }),
      },
    });
    return groups;
  },
};
