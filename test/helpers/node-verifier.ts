// A SignatureVerifier on node:crypto, for Node-only tests of path validation.
import { constants, createPublicKey, verify } from 'node:crypto';
import type { SignatureVerifier } from '../../src/x509/index.js';

/** Verifies with node:crypto; counts its calls. */
export function nodeVerifier(): SignatureVerifier & { calls: number } {
  const v = {
    calls: 0,
    verify: ((alg, publicKey, signedData, signature) => {
      v.calls++;
      const key = createPublicKey({ key: Buffer.from(publicKey.der), format: 'der', type: 'spki' });
      try {
        switch (alg.type) {
          case 'ecdsa':
            return verify(alg.hash, signedData, { key, dsaEncoding: 'der' }, signature);
          case 'rsa-pkcs1':
            return verify(alg.hash, signedData, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
          case 'rsa-pss':
            return verify(alg.hash, signedData, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.saltLength }, signature);
          case 'ed25519':
            return verify(null, signedData, key, signature);
          default:
            return false;
        }
      } catch {
        // node:crypto throws on some malformed signatures; those do not verify.
        return false;
      }
    }) satisfies SignatureVerifier['verify'],
  };
  return v;
}
