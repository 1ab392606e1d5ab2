// ChaCha20-Poly1305 seal against node:crypto, @noble/ciphers and libsodium-wrappers.
import { chacha20poly1305 as nobleChaChaPoly } from '@noble/ciphers/chacha.js';
import sodium from 'libsodium-wrappers';
import { createCipheriv, randomBytes } from 'node:crypto';
import { ChaCha20Poly1305 } from '../../src/crypto.js';
import type { BenchGroup, BenchSuite } from '../suite.js';

const sizes: [string, number][] = [
  ['64 B', 64],
  ['1 KiB', 1024],
  ['16 KiB', 16384],
  ['1 MiB', 1 << 20],
];

export const chacha20poly1305Suite: BenchSuite = {
  name: 'chacha20poly1305',
  async groups(): Promise<BenchGroup[]> {
    await sodium.ready;
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const aad = randomBytes(13); // a TLS 1.2-style record header; TLS 1.3 uses 5 bytes
    const aead = new ChaCha20Poly1305(key);
    const groups: BenchGroup[] = [];
    for (const [label, n] of sizes) {
      const data = randomBytes(n);
      groups.push({
        name: `ChaCha20-Poly1305 seal ${label}`,
        bytes: n,
        cases: {
          'node:crypto': () => {
            const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
            c.setAAD(aad, { plaintextLength: n });
            return [c.update(data), c.final(), c.getAuthTag()];
          },
          wasmtls: () => aead.seal(nonce, data, aad),
          '@noble/ciphers': () => nobleChaChaPoly(key, nonce, aad).encrypt(data),
          'libsodium-wrappers': () => sodium.crypto_aead_chacha20poly1305_ietf_encrypt(data, aad, null, nonce, key),
        },
      });
    }
    return groups;
  },
};
