// A provider whose crypto is trivial, for fuzzing (issue 6, rustls fuzz/
// style): the "AEAD" appends 16 zero bytes and strips them, every signature
// verifies, key exchange gives a constant secret, randomness is a counter.
// Mutated bytes thus reach the handshake decoders and state machines behind
// record protection and CertificateVerify. It lives under test/ only and is
// unreachable from the package; never use it anywhere else.
import type { CryptoProvider, KeyExchange } from '../../src/provider.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { CipherSuite, NamedGroup, SignatureScheme } from '../../src/wire/constants.js';

function keyExchange(group: number): KeyExchange {
  const publicKey = group === NamedGroup.secp256r1 ? new Uint8Array(65).fill(4) : new Uint8Array(32).fill(9);
  return { group, publicKey, sharedSecret: () => new Uint8Array(32).fill(1), dispose: () => {} };
}

/** Makes a fresh trivial provider (its counter starts at zero, so runs replay exactly). */
export function unsafeTrivialProvider(): CryptoProvider {
  let counter = 0;
  return {
    name: 'UNSAFE-trivial',
    cipherSuites: [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256],
    groups: [NamedGroup.x25519, NamedGroup.secp256r1],
    verifySchemes: [SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ecdsa_secp384r1_sha384, SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.ed25519],
    aead: () => ({
      seal: (_n, pt) => {
        const out = new Uint8Array(pt.length + 16);
        out.set(pt);
        return out;
      },
      open: (_n, ct) => {
        if (ct.length < 16) throw new Error('short');
        return ct.slice(0, ct.length - 16);
      },
      dispose: () => {},
    }),
    // The real hash: Finished still has to match, so mutations of the transcript are caught there.
    hash: (suite) => wasmProvider.hash(suite),
    keyExchange,
    verify: () => true,
    sign: () => new Uint8Array(64),
    signSchemes: (key) => (key.type === 'ec' ? [SignatureScheme.ecdsa_secp256r1_sha256] : key.type === 'ed25519' ? [SignatureScheme.ed25519] : [SignatureScheme.rsa_pss_rsae_sha256]),
    randomBytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = (counter++ * 131) & 0xff;
      return out;
    },
    x509: { verify: () => true },
  };
}
