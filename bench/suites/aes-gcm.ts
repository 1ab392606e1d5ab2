// AES-128-GCM and AES-256-GCM seal against node:crypto (AES-NI + PCLMULQDQ
// through OpenSSL) and @noble/ciphers (pure JS). libsodium-wrappers is not
// here: its WebAssembly build has no AES-GCM (libsodium offers it only with
// hardware AES, which WebAssembly cannot reach).
import { gcm } from '@noble/ciphers/aes.js';
import { createCipheriv, randomBytes } from 'node:crypto';
import { AesGcm } from '../../src/crypto.js';
import type { BenchGroup, BenchSuite } from '../suite.js';

const sizes: [string, number][] = [
  ['64 B', 64],
  ['1 KiB', 1024],
  ['16 KiB', 16384],
  ['1 MiB', 1 << 20],
];

export const aesGcmSuite: BenchSuite = {
  name: 'aes-gcm',
  async groups(): Promise<BenchGroup[]> {
    const groups: BenchGroup[] = [];
    for (const keyLen of [16, 32]) {
      const bits = keyLen * 8;
      const key = randomBytes(keyLen);
      const nonce = randomBytes(12);
      const aad = randomBytes(13);
      // The key schedule is computed once, as a TLS record layer does; noble's
      // gcm() binds key and nonce per call, so its key setup is in the loop.
      const aead = new AesGcm(key);
      for (const [label, n] of sizes) {
        if (keyLen === 32 && n > 16384) continue;
        const data = randomBytes(n);
        groups.push({
          name: `AES-${bits}-GCM seal ${label}`,
          bytes: n,
          targets: bits === 128 && n === 16384 ? [{ peer: '@noble/ciphers', atLeast: 4, issue: 'issue 2' }] : [],
          cases: {
            'node:crypto': () => {
              const c = createCipheriv(`aes-${bits}-gcm` as 'aes-128-gcm', key, nonce);
              c.setAAD(aad);
              c.update(data);
              c.final();
              return c.getAuthTag();
            },
            wasmtls: () => aead.seal(nonce, data, aad),
            '@noble/ciphers': () => gcm(key, nonce, aad).encrypt(data),
          },
        });
      }
    }
    return groups;
  },
};
