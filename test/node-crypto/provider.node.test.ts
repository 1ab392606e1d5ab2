// The node:crypto provider (src/node-crypto/provider.ts, issue 18) on its
// own: every Wycheproof case of the primitives it exposes, through the
// CryptoProvider interface the engine calls; differential checks against the
// WASM provider on random inputs (same AEAD bytes, same ECDH secrets, each
// verifying the other's signatures); and the typed errors the engine relies
// on. The engine, hostile and interop suites run it as a third provider
// (test/helpers/providers.ts).
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { AuthenticationError, InvalidKeyError } from '../../bindings/errors.js';
import { TlsError } from '../../src/errors.js';
import { nodeCryptoProvider as native } from '../../src/node-crypto/provider.js';
import { wasmProvider as wasm } from '../../src/provider-wasm.js';
import { CipherSuite, NamedGroup, SignatureScheme } from '../../src/wire/constants.js';
import { parseCertificatesPem, parseSubjectPublicKeyInfo, type SignatureAlgorithm, type SubjectPublicKeyInfo } from '../../src/x509/certificate.js';
import { parsePrivateKey } from '../../src/x509/keys.js';
import { fromHex, toHex } from '../helpers/hex.js';
import { IDENTITIES } from '../helpers/tls-pair.js';
import { expectBytes, runWycheproof, type WycheproofCase, type WycheproofFile } from '../helpers/wycheproof.js';
import gcmFile from '../vectors/wycheproof/aes_gcm_test.json' with { type: 'json' };
import chachaFile from '../vectors/wycheproof/chacha20_poly1305_test.json' with { type: 'json' };
import ecdhFile from '../vectors/wycheproof/ecdh_secp256r1_ecpoint_test.json' with { type: 'json' };
import ecdsa256 from '../vectors/wycheproof/ecdsa_secp256r1_sha256_test.json' with { type: 'json' };
import ecdsa384 from '../vectors/wycheproof/ecdsa_secp384r1_sha384_test.json' with { type: 'json' };
import ed25519File from '../vectors/wycheproof/ed25519_test.json' with { type: 'json' };
import pss2048 from '../vectors/wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json' with { type: 'json' };
import pss4096 from '../vectors/wycheproof/rsa_pss_4096_sha384_mgf1_48_test.json' with { type: 'json' };
import pkcs2048 from '../vectors/wycheproof/rsa_signature_2048_sha256_test.json' with { type: 'json' };
import pkcs3072 from '../vectors/wycheproof/rsa_signature_3072_sha256_test.json' with { type: 'json' };
import x25519File from '../vectors/wycheproof/x25519_test.json' with { type: 'json' };

const wf = (f: unknown) => f as WycheproofFile;
const rnd = (n: number) => native.randomBytes(n);

/** The leaf's public key of a PEM chain. */
function leafKey(chainPem: string): SubjectPublicKeyInfo {
  return (parseCertificatesPem(chainPem)[0] as { publicKey: SubjectPublicKeyInfo }).publicKey;
}

type AeadGroup = { keySize: number; ivSize: number; tagSize: number; tests: never[] };

/** One AEAD case through provider.aead: seal must reproduce ct||tag, open must return msg; a refusal is 'reject'. */
function aeadCase(suiteOf: (keyBits: number) => number | undefined) {
  return (c: WycheproofCase, g: AeadGroup) => {
    const suite = suiteOf(g.keySize);
    // The provider offers the TLS 1.3 shapes only: 96-bit nonces, 128-bit tags (RFC 8446 §5.3, §B.4).
    if (suite === undefined || g.ivSize !== 96 || g.tagSize !== 128) return 'reject' as const;
    const a = native.aead(suite, fromHex(c.key as string));
    const iv = fromHex(c.iv as string);
    const aad = fromHex(c.aad as string);
    const sealed = fromHex(`${c.ct as string}${c.tag as string}`);
    const opened = a.open(iv, sealed, aad);
    expectBytes(opened, c.msg as string, `tcId ${c.tcId} plaintext`);
    expectBytes(a.seal(iv, fromHex(c.msg as string), aad), `${c.ct as string}${c.tag as string}`, `tcId ${c.tcId} sealed`);
    a.dispose();
    return 'pass' as const;
  };
}

/** The groups of the shapes TLS 1.3 uses (RFC 8446 §5.3, §B.4: these key sizes, 96-bit nonces, 128-bit tags); the provider's interface takes no others. */
function onlyTlsShapes(file: WycheproofFile, keyBits: readonly number[]): WycheproofFile {
  const testGroups = file.testGroups.filter((g) => keyBits.includes(g.keySize as number) && g.ivSize === 96 && g.tagSize === 128);
  return { ...file, testGroups, numberOfTests: testGroups.reduce((n, g) => n + g.tests.length, 0) };
}

describe('Wycheproof through the provider interface', () => {
  runWycheproof<AeadGroup>(
    'aes_gcm_test.json (128- and 256-bit keys, 96-bit nonces)',
    onlyTlsShapes(wf(gcmFile), [128, 256]),
    aeadCase((bits) => (bits === 128 ? CipherSuite.TLS_AES_128_GCM_SHA256 : bits === 256 ? CipherSuite.TLS_AES_256_GCM_SHA384 : undefined)),
  );
  runWycheproof<AeadGroup>(
    'chacha20_poly1305_test.json (96-bit nonces)',
    onlyTlsShapes(wf(chachaFile), [256]),
    aeadCase(() => CipherSuite.TLS_CHACHA20_POLY1305_SHA256),
  );

  runWycheproof('x25519_test.json', wf(x25519File), (c) => {
    const kx = native.keyExchange(NamedGroup.x25519, fromHex(c.private as string));
    let shared: Uint8Array;
    try {
      shared = kx.sharedSecret(fromHex(c.public as string));
    } catch (e) {
      // Only the all-zero result may be refused, and only with InvalidKeyError (as the WASM core does).
      if (!(e instanceof InvalidKeyError) || /[^0]/.test(c.shared as string)) {
        const err = new Error(`unexpected ${String(e)}`);
        err.name = 'WrongOutput';
        throw err;
      }
      return 'reject';
    }
    expectBytes(shared, c.shared as string, `tcId ${c.tcId}`);
    return 'pass';
  });

  runWycheproof('ecdh_secp256r1_ecpoint_test.json', wf(ecdhFile), (c) => {
    const kx = native.keyExchange(NamedGroup.secp256r1, fromHex(c.private as string));
    // The engine passes only 65-byte uncompressed points (src/handshake/key-share.ts checks first).
    const pub = fromHex(c.public as string);
    if (pub.length !== 65 || pub[0] !== 4) return 'reject';
    const shared = kx.sharedSecret(pub);
    expectBytes(shared, c.shared as string, `tcId ${c.tcId}`);
    return 'pass';
  }, (c) => (c.flags.includes('CompressedPoint') ? 'reject' : 'either'));

  type SpkiGroup = { publicKeyDer: string; tests: never[] };
  for (const [name, file, scheme] of [
    ['ecdsa_secp256r1_sha256_test.json', ecdsa256, SignatureScheme.ecdsa_secp256r1_sha256],
    ['ecdsa_secp384r1_sha384_test.json', ecdsa384, SignatureScheme.ecdsa_secp384r1_sha384],
    ['rsa_pss_2048_sha256_mgf1_32_test.json', pss2048, SignatureScheme.rsa_pss_rsae_sha256],
    ['rsa_pss_4096_sha384_mgf1_48_test.json', pss4096, SignatureScheme.rsa_pss_rsae_sha384],
  ] as const) {
    runWycheproof<SpkiGroup>(name, wf(file), (c, g) =>
      native.verify(scheme, parseSubjectPublicKeyInfo(fromHex(g.publicKeyDer)), fromHex(c.msg as string), fromHex(c.sig as string)) ? 'pass' : 'reject',
    );
  }

  runWycheproof<{ publicKeyDer: string; tests: never[] }>('ed25519_test.json', wf(ed25519File), (c, g) =>
    native.verify(SignatureScheme.ed25519, parseSubjectPublicKeyInfo(fromHex(g.publicKeyDer)), fromHex(c.msg as string), fromHex(c.sig as string)) ? 'pass' : 'reject',
  );

  const pkcs1: SignatureAlgorithm = { type: 'rsa-pkcs1', name: 'sha256WithRSAEncryption', hash: 'sha256' };
  for (const [name, file] of [
    ['rsa_signature_2048_sha256_test.json', pkcs2048],
    ['rsa_signature_3072_sha256_test.json', pkcs3072],
  ] as const) {
    runWycheproof<{ publicKeyDer: string; tests: never[] }>(
      `${name} (certificate signatures, x509.verify)`,
      wf(file),
      (c, g) => (native.x509.verify(pkcs1, parseSubjectPublicKeyInfo(fromHex(g.publicKeyDer)), fromHex(c.msg as string), fromHex(c.sig as string)) ? 'pass' : 'reject'),
    );
  }
});

describe('the same bytes as the WASM provider', () => {
  test('hash(suite): digest, running hash, HMAC and HKDF agree with the WASM provider on random inputs', () => {
    for (const suite of [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256]) {
      const n = native.hash(suite);
      const w = wasm.hash(suite);
      expect(n.name).toBe(w.name);
      expect(n.length).toBe(w.length);
      for (let i = 0; i < 20; i++) {
        const data = rnd(i * 37);
        const key = rnd(i * 11);
        expect(toHex(n.digest(data))).toBe(toHex(w.digest(data)));
        const running = n.create().update(data.subarray(0, i)).clone();
        expect(toHex(running.update(data.subarray(i)).digest())).toBe(toHex(w.digest(data)));
        expect(toHex(n.hmac(key, data))).toBe(toHex(w.hmac(key, data)));
        const prk = n.extract(key, data);
        expect(toHex(prk)).toBe(toHex(w.extract(key, data)));
        const size = 1 + i * 13;
        expect(toHex(n.expand(prk, data.subarray(0, 20), size))).toBe(toHex(w.expand(prk, data.subarray(0, 20), size)));
      }
    }
  });

  test('AEAD seal, sealRecord and open agree on random keys, nonces and lengths', () => {
    for (const suite of native.cipherSuites) {
      const keyLen = suite === CipherSuite.TLS_AES_128_GCM_SHA256 ? 16 : 32;
      for (let i = 0; i < 40; i++) {
        const key = rnd(keyLen);
        const nonce = rnd(12);
        const len = [0, 1, 15, 16, 17, 255, 1024, 16384][i % 8] as number;
        const pt = rnd(len);
        const aad = rnd(5);
        const a = native.aead(suite, key);
        const b = wasm.aead(suite, key);
        const sealed = a.seal(nonce, pt, aad);
        expect(toHex(sealed)).toBe(toHex(b.seal(nonce, pt, aad)));
        expect(toHex(b.open(nonce, sealed, aad))).toBe(toHex(pt));
        expect(toHex(a.open(nonce, sealed, aad))).toBe(toHex(pt));
        const type = 23;
        const inner = new Uint8Array(len + 1);
        inner.set(pt);
        inner[len] = type;
        const record = a.sealRecord?.(nonce, aad, pt, type) as Uint8Array;
        expect(toHex(record)).toBe(toHex(aad) + toHex(b.seal(nonce, inner, aad)));
        a.dispose();
        b.dispose();
      }
    }
  });

  test('ECDH: both providers reach the same secret on x25519 and secp256r1', () => {
    for (const group of [NamedGroup.x25519, NamedGroup.secp256r1]) {
      for (let i = 0; i < 10; i++) {
        const a = native.keyExchange(group);
        const b = wasm.keyExchange(group);
        const s1 = a.sharedSecret(b.publicKey);
        expect(toHex(s1)).toBe(toHex(b.sharedSecret(a.publicKey)));
        expect(s1.length).toBe(32);
        a.dispose();
        b.dispose();
      }
    }
  });

  test('a fixed secretKey gives the WASM provider\'s public key (x25519, secp256r1)', () => {
    for (const group of [NamedGroup.x25519, NamedGroup.secp256r1]) {
      const sk = rnd(32);
      expect(toHex(native.keyExchange(group, sk).publicKey)).toBe(toHex(wasm.keyExchange(group, sk).publicKey));
    }
  });

  test('secp384r1: two native key pairs agree on a 48-byte secret', () => {
    const a = native.keyExchange(NamedGroup.secp384r1);
    const b = native.keyExchange(NamedGroup.secp384r1);
    expect(a.publicKey.length).toBe(97);
    expect(toHex(a.sharedSecret(b.publicKey))).toBe(toHex(b.sharedSecret(a.publicKey)));
    expect(a.sharedSecret(b.publicKey).length).toBe(48);
  });

  for (const id of ['p256', 'rsa2048', 'ed25519'] as const) {
    test(`${id}: each provider verifies the other's CertificateVerify signatures`, () => {
      const key = parsePrivateKey(IDENTITIES[id].key);
      const spki = leafKey(IDENTITIES[id].cert);
      for (const scheme of wasm.signSchemes(key)) {
        for (let i = 0; i < 3; i++) {
          const message = rnd(130);
          const byNative = native.sign(scheme, key, message);
          const byWasm = wasm.sign(scheme, key, message);
          expect(wasm.verify(scheme, spki, message, byNative)).toBe(true);
          expect(native.verify(scheme, spki, message, byWasm)).toBe(true);
          const bad = byNative.slice();
          bad[bad.length >> 1] = (bad[bad.length >> 1] as number) ^ 1;
          expect(native.verify(scheme, spki, message, bad)).toBe(false);
          expect(native.verify(scheme, spki, rnd(130), byNative)).toBe(false);
        }
      }
    });
  }

  test('p384: signs ecdsa_secp384r1_sha384, verified by the WASM provider', () => {
    const key = parsePrivateKey(IDENTITIES.p384.key);
    expect(native.signSchemes(key)).toEqual([SignatureScheme.ecdsa_secp384r1_sha384]);
    const spki = leafKey(IDENTITIES.p384.cert);
    const message = rnd(98);
    expect(wasm.verify(SignatureScheme.ecdsa_secp384r1_sha384, spki, message, native.sign(SignatureScheme.ecdsa_secp384r1_sha384, key, message))).toBe(true);
  });
});

describe('typed errors', () => {
  test('open: a changed byte anywhere is AuthenticationError and no plaintext', () => {
    for (const suite of native.cipherSuites) {
      const a = native.aead(suite, rnd(suite === CipherSuite.TLS_AES_128_GCM_SHA256 ? 16 : 32));
      const nonce = rnd(12);
      const sealed = a.seal(nonce, rnd(100), rnd(5));
      for (const at of [0, 50, 99, 100, 115]) {
        const bad = sealed.slice();
        bad[at] = (bad[at] as number) ^ 0x80;
        expect(() => a.open(nonce, bad, new Uint8Array(5))).toThrow(AuthenticationError);
      }
      expect(() => a.open(nonce, sealed.subarray(0, 15), new Uint8Array(0))).toThrow(AuthenticationError);
      a.dispose();
      expect(() => a.seal(nonce, new Uint8Array(1), new Uint8Array(0))).toThrow(TlsError);
    }
  });

  test('key exchange: a low-order x25519 point and an off-curve P-256 point are InvalidKeyError', () => {
    expect(() => native.keyExchange(NamedGroup.x25519).sharedSecret(new Uint8Array(32))).toThrow(InvalidKeyError);
    const off = fromHex(`04${'11'.repeat(64)}`);
    expect(() => native.keyExchange(NamedGroup.secp256r1).sharedSecret(off)).toThrow(InvalidKeyError);
    expect(() => native.keyExchange(0x1234)).toThrow(TlsError);
  });

  test('RSA keys outside 2048-4096 bits are unsupported_certificate, as with the WASM provider', () => {
    const small = parseSubjectPublicKeyInfo(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' }));
    const err = (() => {
      try {
        native.verify(SignatureScheme.rsa_pss_rsae_sha256, small, new Uint8Array(1), new Uint8Array(128));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).alert).toBe('unsupported_certificate');
  });

  test('malformed signatures are false, never a throw; an unknown scheme is a TlsError', () => {
    const spki = leafKey(IDENTITIES.p256.cert);
    for (const sig of [new Uint8Array(0), new Uint8Array(1), fromHex('3006020101020101ff'), rnd(72)]) {
      expect(native.verify(SignatureScheme.ecdsa_secp256r1_sha256, spki, new Uint8Array(3), sig)).toBe(false);
    }
    expect(native.verify(SignatureScheme.ecdsa_secp384r1_sha384, spki, new Uint8Array(3), rnd(64))).toBe(false);
    expect(native.verify(SignatureScheme.ed25519, spki, new Uint8Array(3), rnd(64))).toBe(false);
    expect(() => native.verify(0x0201, spki, new Uint8Array(3), rnd(64))).toThrow(TlsError);
    expect(() => native.sign(SignatureScheme.ed25519, parsePrivateKey(IDENTITIES.p256.key), new Uint8Array(3))).toThrow(TlsError);
  });
});
