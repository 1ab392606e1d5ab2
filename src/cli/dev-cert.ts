// A fresh certificate authority and server certificate for `wasmtls serve`
// without --cert: both ECDSA P-256 (src/x509/writer.ts), signed on the WASM
// core. The CA's private key is wiped once it has signed the one leaf, so
// the CA can vouch for nothing else.
import { isIP } from 'node:net';
import { ecdsaP256, p256 } from '../crypto.js';
import type { EcPrivateKey } from '../x509/keys.js';
import { writeCaCertificate, writeLeafCertificate } from '../x509/writer.js';

/** The certificate chain to serve, its key, and the CA certificate clients should trust. */
export interface DevIdentity {
  readonly caPem: string;
  readonly certPem: string;
  readonly key: EcPrivateKey;
  readonly names: readonly string[];
}

/**
 * A CA valid for 30 days and a leaf for localhost, 127.0.0.1, ::1 and `host`
 * (when it is a specific name or address, not a wildcard like 0.0.0.0).
 */
export function makeDevIdentity(host: string): DevIdentity {
  const dnsNames = ['localhost'];
  const ipAddresses = ['127.0.0.1', '::1'];
  const h = host.replace(/^\[|\]$/g, '');
  if (h !== '0.0.0.0' && h !== '::' && !dnsNames.includes(h) && !ipAddresses.includes(h)) (isIP(h) === 0 ? dnsNames : ipAddresses).push(h);

  const caSecret = p256.randomSecretKey();
  const signByCa = (tbs: Uint8Array) => ecdsaP256.sign(tbs, caSecret);
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = new Date(notBefore.getTime() + 30 * 24 * 60 * 60 * 1000);
  try {
    const ca = writeCaCertificate({
      subject: { commonName: `wasmtls serve CA ${new Date().toISOString().slice(0, 19)}Z`, organization: 'wasmtls' },
      publicKey: p256.getPublicKey(caSecret, false),
      sign: signByCa,
      notBefore,
      notAfter,
      pathLenConstraint: 0,
    });
    const d = p256.randomSecretKey();
    const publicKey = p256.getPublicKey(d, false);
    const leaf = writeLeafCertificate({ dnsNames, ipAddresses, publicKey, issuer: ca.certificate, sign: signByCa, notBefore, notAfter });
    return { caPem: ca.pem, certPem: leaf.pem, key: { type: 'ec', curve: 'P-256', d, publicKey }, names: [...dnsNames, ...ipAddresses] };
  } finally {
    caSecret.fill(0);
  }
}
