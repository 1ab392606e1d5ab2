// Key consistency through node:crypto: each parsed private key, re-encoded
// without its public part, must make node derive the fixture's public key
// (EC: d * G; Ed25519: from the seed; RSA: n and e).
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { decodePem, encodePkcs8PrivateKey, parsePrivateKey, type PrivateKey } from '../../src/x509/index.js';
import { keyNames, keyPem } from '../helpers/x509-fixtures.js';

const names = [...new Set(keyNames.map((k) => k.split('.')[0] as string))];

function withoutPublic(key: PrivateKey): PrivateKey {
  if (key.type === 'ec') return { type: 'ec', curve: key.curve, d: key.d };
  if (key.type === 'ed25519') return { type: 'ed25519', seed: key.seed };
  return key;
}

describe('private keys derive the fixture public keys', () => {
  for (const name of names) {
    test(name, () => {
      const key = parsePrivateKey(keyPem(name, 'pkcs8'));
      const der = Buffer.from(encodePkcs8PrivateKey(withoutPublic(key)));
      const derived = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
      const want = decodePem(keyPem(name, 'spki'))[0]?.der as Uint8Array;
      expect(Buffer.from(derived).toString('hex')).toBe(Buffer.from(want).toString('hex'));
    });
  }
});
