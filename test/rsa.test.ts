// RSA PKCS #1 v1.5 and PSS: every case of the Wycheproof verification files
// and of the PKCS #1 v1.5 generation file (our signatures must match
// byte for byte), plus argument checks and a PSS round trip.
import { describe, expect, test } from 'vitest';
import { type RsaPrivateKey, rsa } from '../src/crypto.js';
import { parsePkcs8RsaKey } from './helpers/der.js';
import { fromHex, toHex, utf8 } from './helpers/hex.js';
import { expectBytes, runWycheproof, type WycheproofCase, type WycheproofFile } from './helpers/wycheproof.js';
import sigGen from './vectors/wycheproof/rsa_pkcs1_2048_sig_gen_test.json' with { type: 'json' };
import pss2048sha256 from './vectors/wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json' with { type: 'json' };
import pss2048sha384 from './vectors/wycheproof/rsa_pss_2048_sha384_mgf1_48_test.json' with { type: 'json' };
import pss4096sha384 from './vectors/wycheproof/rsa_pss_4096_sha384_mgf1_48_test.json' with { type: 'json' };
import v2048sha256 from './vectors/wycheproof/rsa_signature_2048_sha256_test.json' with { type: 'json' };
import v2048sha384 from './vectors/wycheproof/rsa_signature_2048_sha384_test.json' with { type: 'json' };
import v2048sha512 from './vectors/wycheproof/rsa_signature_2048_sha512_test.json' with { type: 'json' };
import v3072sha256 from './vectors/wycheproof/rsa_signature_3072_sha256_test.json' with { type: 'json' };
import v4096sha256 from './vectors/wycheproof/rsa_signature_4096_sha256_test.json' with { type: 'json' };
import v4096sha384 from './vectors/wycheproof/rsa_signature_4096_sha384_test.json' with { type: 'json' };

type Hash = 'sha256' | 'sha384' | 'sha512';

/** Wycheproof's hash names; SHA-1 and SHA-224 map to themselves, which the API refuses. */
function hashOf(name: string): Hash {
  return ({ 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as Record<string, Hash>)[name] ?? (name as Hash);
}

// Type aliases, not interfaces: runWycheproof's group constraint has an index signature.
type VerifyGroup = {
  sha: string;
  publicKey: { modulus: string; publicExponent: string };
  tests: WycheproofCase[];
};

type PssGroup = VerifyGroup & {
  mgf: string;
  mgfSha: string;
  sLen: number;
};

const pkcs1Files = [
  ['rsa_signature_2048_sha256_test.json', v2048sha256],
  ['rsa_signature_2048_sha384_test.json', v2048sha384],
  ['rsa_signature_2048_sha512_test.json', v2048sha512],
  ['rsa_signature_3072_sha256_test.json', v3072sha256],
  ['rsa_signature_4096_sha256_test.json', v4096sha256],
  ['rsa_signature_4096_sha384_test.json', v4096sha384],
] as const;

for (const [name, file] of pkcs1Files) {
  describe(name, () => {
    runWycheproof<VerifyGroup & { tests: never[] }>(
      name,
      file as unknown as WycheproofFile,
      (c, g) => {
        const key = { n: fromHex(g.publicKey.modulus), e: fromHex(g.publicKey.publicExponent) };
        return rsa.verifyPkcs1v15(hashOf(g.sha), fromHex(c.sig as string), fromHex(c.msg as string), key)
          ? 'pass'
          : 'reject';
      },
      // The only acceptable cases are MissingNull: a DigestInfo without the
      // NULL parameters. RFC 8017 §9.2 note 2 lets verifiers accept it, but
      // verification here re-encodes the one DER form and compares, so it
      // is rejected (as BoringSSL and Go do).
      (c) => (c.flags.includes('MissingNull') ? 'reject' : 'either'),
    );
  });
}

const pssFiles = [
  ['rsa_pss_2048_sha256_mgf1_32_test.json', pss2048sha256],
  ['rsa_pss_2048_sha384_mgf1_48_test.json', pss2048sha384],
  ['rsa_pss_4096_sha384_mgf1_48_test.json', pss4096sha384],
] as const;

const HASH_LEN: Record<Hash, number> = { sha256: 32, sha384: 48, sha512: 64 };

for (const [name, file] of pssFiles) {
  describe(name, () => {
    test('every group uses MGF1 with the signature hash and a salt of hash length', () => {
      for (const g of (file as unknown as { testGroups: PssGroup[] }).testGroups) {
        expect(g.mgf).toBe('MGF1');
        expect(g.mgfSha).toBe(g.sha);
        expect(g.sLen).toBe(HASH_LEN[hashOf(g.sha)]);
      }
    });
    runWycheproof<PssGroup & { tests: never[] }>(name, file as unknown as WycheproofFile, (c, g) => {
      const key = { n: fromHex(g.publicKey.modulus), e: fromHex(g.publicKey.publicExponent) };
      return rsa.verifyPss(hashOf(g.sha), fromHex(c.sig as string), fromHex(c.msg as string), key) ? 'pass' : 'reject';
    });
  });
}

type SigGenGroup = {
  sha: string;
  privateKeyPkcs8: string;
  privateKeyJwk?: Record<string, string>;
  tests: WycheproofCase[];
};

function sigGenKey(g: SigGenGroup): RsaPrivateKey {
  return parsePkcs8RsaKey(fromHex(g.privateKeyPkcs8));
}

const SUPPORTED = new Set(['SHA-256', 'SHA-384', 'SHA-512']);
const sigGenGroups = (sigGen as unknown as { testGroups: SigGenGroup[] }).testGroups;
// The file also has SHA-1 (acceptable, WeakHash) and SHA-224 (valid) groups;
// the API offers SHA-256/384/512 only. Those 16 cases run in their own test
// below (the API must refuse them; their keys must still sign); the
// runner gets the 27 cases of the supported hashes.
const supportedGroups = sigGenGroups.filter((g) => SUPPORTED.has(g.sha));
const sigGenSupported = {
  ...(sigGen as unknown as WycheproofFile),
  testGroups: supportedGroups,
  numberOfTests: supportedGroups.reduce((n, g) => n + g.tests.length, 0),
} as unknown as WycheproofFile;

describe('rsa_pkcs1_2048_sig_gen_test.json', () => {
  runWycheproof<SigGenGroup & { tests: never[] }>(
    'rsa_pkcs1_2048_sig_gen_test.json (SHA-256/384/512 groups)',
    sigGenSupported,
    (c, g) => {
      const key = sigGenKey(g);
      const hash = hashOf(g.sha);
      const msg = fromHex(c.msg as string);
      const sig = rsa.signPkcs1v15(hash, msg, key);
      expectBytes(sig, c.sig as string, `tcId ${c.tcId} signature`);
      if (!rsa.verifyPkcs1v15(hash, sig, msg, key)) throw new Error('own signature does not verify');
      return 'pass';
    },
    // The remaining acceptable cases are SmallPublicKey: e = 3, which RFC
    // 8017 allows and the API accepts, so the signature must be reproduced.
    (c) => (c.flags.includes('SmallPublicKey') ? 'pass' : 'either'),
  );

  test('SHA-1 and SHA-224 groups: refused with a TypeError; their keys still sign and verify', () => {
    let cases = 0;
    for (const g of sigGenGroups.filter((x) => !SUPPORTED.has(x.sha))) {
      const key = sigGenKey(g);
      for (const c of g.tests) {
        expect(() => rsa.signPkcs1v15(hashOf(g.sha), fromHex(c.msg as string), key), `tcId ${c.tcId}`).toThrow(TypeError);
        expect(() => rsa.verifyPkcs1v15(hashOf(g.sha), fromHex(c.sig as string), fromHex(c.msg as string), key)).toThrow(
          TypeError,
        );
        cases++;
      }
      const msg = fromHex(g.tests[0]!.msg as string);
      expect(rsa.verifyPkcs1v15('sha256', rsa.signPkcs1v15('sha256', msg, key), msg, key)).toBe(true);
    }
    expect(cases).toBe(16);
    expect(cases + sigGenSupported.numberOfTests).toBe(sigGen.numberOfTests);
    console.log(`rsa_pkcs1_2048_sig_gen_test.json: ${cases}/${cases} SHA-1/SHA-224 cases refused as specified`);
  });

  test('the DER reader agrees with the JWK form of each key', () => {
    const b64 = (s: string): string => toHex(Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0)));
    const strip = (h: string): string => h.replace(/^(00)+/, '');
    let checked = 0;
    for (const g of (sigGen as unknown as { testGroups: SigGenGroup[] }).testGroups) {
      if (g.privateKeyJwk === undefined) continue;
      const key = sigGenKey(g);
      for (const f of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
        expect(strip(toHex(key[f])), f).toBe(strip(b64(g.privateKeyJwk[f]!)));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('RSA API', () => {
  const g = (sigGen as unknown as { testGroups: SigGenGroup[] }).testGroups.find((x) => x.sha === 'SHA-256')!;
  const key = sigGenKey(g);
  const pub = { n: key.n, e: key.e };
  const msg = utf8('wasmtls');

  test('PSS signatures verify, are randomized, and fail when altered', () => {
    for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
      const a = rsa.signPss(hash, msg, key);
      const b = rsa.signPss(hash, msg, key);
      expect(a.length).toBe(256);
      expect(toHex(a)).not.toBe(toHex(b));
      expect(rsa.verifyPss(hash, a, msg, pub)).toBe(true);
      expect(rsa.verifyPss(hash, b, msg, pub)).toBe(true);
      expect(rsa.verifyPkcs1v15(hash, a, msg, pub)).toBe(false);
      const bad = a.slice();
      bad[100]! ^= 1;
      expect(rsa.verifyPss(hash, bad, msg, pub)).toBe(false);
      expect(rsa.verifyPss(hash, a, utf8('wasmtlS'), pub)).toBe(false);
    }
  });

  test('wrong-length and out-of-range signatures return false', () => {
    const sig = rsa.signPkcs1v15('sha256', msg, key);
    expect(rsa.verifyPkcs1v15('sha256', sig.subarray(1), msg, pub)).toBe(false);
    expect(rsa.verifyPkcs1v15('sha256', new Uint8Array(0), msg, pub)).toBe(false);
    expect(rsa.verifyPss('sha256', new Uint8Array(257), msg, pub)).toBe(false);
    // s = n and s = n + 1 are not below n (RFC 8017 §5.2.2 step 1).
    const n = stripped(key.n);
    expect(rsa.verifyPkcs1v15('sha256', n, msg, pub)).toBe(false);
    expect(rsa.verifyPss('sha256', n, msg, pub)).toBe(false);
    // Leading zero bytes in key components are accepted.
    const padded = { n: concat(new Uint8Array(3), n), e: concat(new Uint8Array(1), key.e) };
    expect(rsa.verifyPkcs1v15('sha256', sig, msg, padded)).toBe(true);
  });

  test('bad arguments are typed errors naming the parameter', () => {
    const sig = new Uint8Array(256);
    expect(() => rsa.verifyPss('md5' as never, sig, msg, pub)).toThrow(TypeError);
    expect(() => rsa.verifyPss('sha256', 'x' as never, msg, pub)).toThrow(/signature must be a Uint8Array/);
    expect(() => rsa.verifyPss('sha256', sig, null as never, pub)).toThrow(/message must be a Uint8Array/);
    expect(() => rsa.verifyPss('sha256', sig, msg, null as never)).toThrow(/publicKey must be an object/);
    expect(() => rsa.verifyPss('sha256', sig, msg, { n: key.n } as never)).toThrow(/publicKey.e must be a Uint8Array/);
    expect(() => rsa.verifyPkcs1v15('sha256', sig, msg, { n: key.n.subarray(0, 129), e: key.e })).toThrow(
      /publicKey.n must be 2048 to 4096 bits, got 1024/,
    );
    const even = key.n.slice();
    even[even.length - 1]! &= 0xfe;
    expect(() => rsa.verifyPkcs1v15('sha256', sig, msg, { n: even, e: key.e })).toThrow(/publicKey.n must be odd/);
    expect(() => rsa.verifyPkcs1v15('sha256', sig, msg, { n: key.n, e: Uint8Array.of(1) })).toThrow(RangeError);
    expect(() => rsa.verifyPkcs1v15('sha256', sig, msg, { n: key.n, e: Uint8Array.of(1, 0) })).toThrow(
      /publicKey.e must be odd/,
    );
    expect(() => rsa.verifyPkcs1v15('sha256', sig, msg, { n: key.n, e: key.n })).toThrow(/less than publicKey.n/);
    expect(() => rsa.signPss('sha256', msg, { ...key, dp: undefined } as never)).toThrow(/privateKey.dp must be a Uint8Array/);
    expect(() => rsa.signPss('sha256', msg, { ...key, p: key.q, q: key.q })).toThrow(/p \* privateKey.q must equal/);
    expect(() => rsa.signPss('sha256', msg, { ...key, dp: concat(Uint8Array.of(1), key.p) })).toThrow(
      /privateKey.dp must not be longer than privateKey.p/,
    );
    // dq one off: the s^e = m check refuses to release the result.
    const dq = key.dq.slice();
    dq[dq.length - 1]! ^= 2;
    expect(() => rsa.signPkcs1v15('sha256', msg, { ...key, dq })).toThrow(/self-check/);
  });
});

function stripped(b: Uint8Array): Uint8Array {
  let i = 0;
  while (b[i] === 0) i++;
  return b.subarray(i);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
