// RSA PKCS #1 v1.5 and PSS verification (2048, 4096 bits) and PSS signing
// (2048 bits) against node:crypto (OpenSSL). @noble has no RSA and no
// pure-JS RSA is installed, so node:crypto is the only peer. Keys and
// signatures are prepared outside the timed functions.
import { constants, generateKeyPairSync, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { type RsaPrivateKey, rsa } from '../../src/crypto.js';
import type { BenchGroup, BenchSuite } from '../suite.js';

function keyPair(bits: number): { node: KeyObject; nodePublic: KeyObject; key: RsaPrivateKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = privateKey.export({ format: 'jwk' });
  const b = (s: string | undefined): Uint8Array => new Uint8Array(Buffer.from(s!, 'base64url'));
  const key = { n: b(jwk.n), e: b(jwk.e), d: b(jwk.d), p: b(jwk.p), q: b(jwk.q), dp: b(jwk.dp), dq: b(jwk.dq), qi: b(jwk.qi) };
  return { node: privateKey, nodePublic: publicKey, key };
}

export const rsaSuite: BenchSuite = {
  name: 'rsa',
  async groups(): Promise<BenchGroup[]> {
    const groups: BenchGroup[] = [];
    const msg = randomBytes(100);
    for (const bits of [2048, 4096]) {
      const { node, nodePublic, key } = keyPair(bits);
      const pub = { n: key.n, e: key.e };
      const pss = { key: node, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
      const pssPublic = { key: nodePublic, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
      const v15Sig = sign('sha256', msg, node);
      const pssSig = sign('sha256', msg, pss);
      groups.push({
        name: `RSA-${bits} PKCS#1 v1.5 verify (SHA-256, e = 65537)`,
        bytes: 0,
        cases: {
          'node:crypto': () => verify('sha256', msg, nodePublic, v15Sig),
          wasmtls: () => rsa.verifyPkcs1v15('sha256', v15Sig, msg, pub),
        },
      });
      groups.push({
        name: `RSA-${bits} PSS verify (SHA-256, e = 65537)`,
        bytes: 0,
        cases: {
          'node:crypto': () => verify('sha256', msg, pssPublic, pssSig),
          wasmtls: () => rsa.verifyPss('sha256', pssSig, msg, pub),
        },
      });
      if (bits === 2048) {
        groups.push({
          name: 'RSA-2048 PSS sign (SHA-256)',
          bytes: 0,
          cases: {
            'node:crypto': () => sign('sha256', msg, pss),
            wasmtls: () => rsa.signPss('sha256', msg, key),
          },
        });
      }
    }
    return groups;
  },
};
