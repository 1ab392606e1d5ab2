// Private key parsing: every key fixture in every form it exists in,
// consistency with the public key fixtures, PKCS#8 re-encoding, and errors.
import { describe, expect, test } from 'vitest';
import {
  DerError,
  decodePem,
  encodePkcs8PrivateKey,
  encodePrivateKeyPem,
  parsePkcs1PrivateKey,
  parsePkcs8PrivateKey,
  parsePrivateKey,
  parseSec1PrivateKey,
  parseSubjectPublicKeyInfo,
  PemError,
  type PrivateKey,
} from '../../src/x509/index.js';
import { toBigInt } from '../../src/x509/bytes.js';
import * as w from '../../src/x509/der-writer.js';
import { KEY } from '../../src/x509/oids.js';
import { fromHex, toHex } from '../helpers/hex.js';
import { keyNames, keyPem } from '../helpers/x509-fixtures.js';

const names = [...new Set(keyNames.map((k) => k.split('.')[0] as string))];
const forms = (name: string): string[] => keyNames.filter((k) => k.startsWith(`${name}.`)).map((k) => k.split('.')[1] as string);
const der = (name: string, form: 'pkcs8' | 'sec1' | 'pkcs1' | 'spki'): Uint8Array => decodePem(keyPem(name, form))[0]?.der as Uint8Array;

function mod(a: bigint, m: bigint): bigint {
  return ((a % m) + m) % m;
}
function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

describe('every key fixture', () => {
  test('fixtures exist in the expected forms', () => {
    expect(names.length).toBe(24);
    for (const name of names) {
      const f = forms(name);
      expect(f, name).toContain('pkcs8');
      expect(f, name).toContain('spki');
    }
  });
  for (const name of names) {
    test(name, () => {
      const spki = parseSubjectPublicKeyInfo(der(name, 'spki'));
      const key = parsePrivateKey(keyPem(name, 'pkcs8'));
      expect(parsePkcs8PrivateKey(der(name, 'pkcs8'))).toEqual(key);
      expect(parsePrivateKey(der(name, 'pkcs8'))).toEqual(key);
      // Re-encoding gives back openssl's PKCS#8 byte for byte.
      expect(toHex(encodePkcs8PrivateKey(key))).toBe(toHex(der(name, 'pkcs8')));
      expect(encodePrivateKeyPem(key)).toBe(keyPem(name, 'pkcs8'));
      switch (key.type) {
        case 'ec': {
          expect(spki.type).toBe('ec');
          if (spki.type !== 'ec') return;
          expect(key.curve).toBe(spki.curve);
          expect(key.d.length).toBe(key.curve === 'P-256' ? 32 : 48);
          // openssl writes the public point next to d; it must be the fixture's public key.
          expect(toHex(key.publicKey as Uint8Array)).toBe(toHex(spki.point));
          const sec1 = parseSec1PrivateKey(der(name, 'sec1'));
          expect(sec1).toEqual(key);
          expect(parsePrivateKey(keyPem(name, 'sec1'))).toEqual(key);
          expect(parsePrivateKey(der(name, 'sec1'))).toEqual(key);
          break;
        }
        case 'rsa': {
          expect(spki.type).toBe('rsa');
          if (spki.type !== 'rsa') return;
          expect(toHex(key.n)).toBe(toHex(spki.n));
          expect(toHex(key.e)).toBe(toHex(spki.e));
          expect(parsePkcs1PrivateKey(der(name, 'pkcs1'))).toEqual(key);
          expect(parsePrivateKey(keyPem(name, 'pkcs1'))).toEqual(key);
          expect(parsePrivateKey(der(name, 'pkcs1'))).toEqual(key);
          const [n, e, d, p, q] = [key.n, key.e, key.d, key.p, key.q].map(toBigInt) as [bigint, bigint, bigint, bigint, bigint];
          // RFC 8017 §3.2: the CRT values follow from d, p and q.
          expect(p * q).toBe(n);
          const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
          expect(mod(d * e, lambda)).toBe(1n);
          expect(toBigInt(key.dp)).toBe(d % (p - 1n));
          expect(toBigInt(key.dq)).toBe(d % (q - 1n));
          expect(mod(toBigInt(key.qi) * q, p)).toBe(1n);
          for (const v of [key.n, key.e, key.d, key.p, key.q, key.dp, key.dq, key.qi]) expect(v[0]).not.toBe(0);
          break;
        }
        case 'ed25519':
          expect(spki.type).toBe('ed25519');
          expect(key.seed.length).toBe(32);
          expect(key.publicKey).toBeUndefined(); // openssl writes PKCS#8 v1
          break;
      }
    });
  }
});

function keyError(fn: () => unknown, re: RegExp, type: new (...a: never[]) => Error = DerError): void {
  expect(fn).toThrow(type);
  expect(fn).toThrow(re);
}

const p256 = parsePrivateKey(keyPem('int-p256', 'pkcs8')) as Extract<PrivateKey, { type: 'ec' }>;
const ecAlg = (curve: string) => w.sequence(w.oid(KEY.ecPublicKey), w.oid(curve));
const pkcs8 = (alg: Uint8Array, inner: Uint8Array, version = 0) => w.sequence(w.integer(version), alg, w.octetString(inner));
const sec1 = (d: Uint8Array, params?: Uint8Array) =>
  w.sequence(w.integer(1), w.octetString(d), ...(params === undefined ? [] : [w.explicit(0, params)]));
const P256_N = fromHex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

describe('key errors and edge cases', () => {
  test('EC scalars: range, length, padding', () => {
    keyError(() => parseSec1PrivateKey(sec1(new Uint8Array(32), w.oid(KEY.p256))), /not in \[1, n-1\]/);
    keyError(() => parseSec1PrivateKey(sec1(P256_N, w.oid(KEY.p256))), /not in \[1, n-1\]/);
    keyError(() => parseSec1PrivateKey(sec1(new Uint8Array(33).fill(1), w.oid(KEY.p256))), /private key of 33 bytes/);
    const short = parseSec1PrivateKey(sec1(p256.d.slice(1).fill(7), w.oid(KEY.p256)));
    expect(short.d.length).toBe(32);
    expect(short.d[0]).toBe(0);
  });
  test('EC curve parameters', () => {
    keyError(() => parseSec1PrivateKey(sec1(p256.d)), /without curve parameters/);
    keyError(() => parsePkcs8PrivateKey(pkcs8(ecAlg(KEY.p256), sec1(p256.d, w.oid(KEY.p384)))), /parameters say P-384 but the algorithm says P-256/);
    keyError(() => parsePkcs8PrivateKey(pkcs8(ecAlg(KEY.p521), sec1(p256.d))), /DER: unsupported private key: EC curve P-521/);
    keyError(() => parseSec1PrivateKey(sec1(p256.d, w.sequence(w.integer(1)))), /DER: unsupported private key: EC key with explicit curve parameters/);
    keyError(() => parsePkcs8PrivateKey(pkcs8(w.sequence(w.oid(KEY.ecPublicKey)), sec1(p256.d))), /DER: unsupported private key: EC key without a named curve/);
    const badVersion = w.sequence(w.integer(2), w.octetString(p256.d), w.explicit(0, w.oid(KEY.p256)));
    keyError(() => parseSec1PrivateKey(badVersion), /version must be 1/);
  });
  test('Ed25519 in PKCS#8 v1 and v2', () => {
    const seed = new Uint8Array(32).fill(9);
    const alg = w.sequence(w.oid(KEY.ed25519));
    expect(parsePkcs8PrivateKey(pkcs8(alg, w.octetString(seed)))).toEqual({ type: 'ed25519', seed });
    const pub = new Uint8Array(32).fill(3);
    const v2 = w.sequence(w.integer(1), alg, w.octetString(w.octetString(seed)), w.implicit(1, Uint8Array.of(0, ...pub)));
    expect(parsePkcs8PrivateKey(v2)).toEqual({ type: 'ed25519', seed, publicKey: pub });
    keyError(() => parsePkcs8PrivateKey(pkcs8(alg, w.octetString(seed.subarray(1)))), /Ed25519 private key of 31 bytes/);
    keyError(() => parsePkcs8PrivateKey(pkcs8(w.sequence(w.oid(KEY.ed25519), w.nullValue()), w.octetString(seed))), /must be absent/);
  });
  test('RSA structure', () => {
    const rsa = parsePrivateKey(keyPem('int-rsa', 'pkcs1')) as Extract<PrivateKey, { type: 'rsa' }>;
    const fields = [rsa.n, rsa.e, rsa.d, rsa.p, rsa.q, rsa.dp, rsa.dq, rsa.qi];
    const pkcs1 = (version: number, f: Uint8Array[]) => w.sequence(w.integer(version), ...f.map((v) => w.integer(v)));
    keyError(() => parsePkcs1PrivateKey(pkcs1(0, [rsa.n, rsa.e, rsa.d, rsa.q, rsa.q, rsa.dp, rsa.dq, rsa.qi])), /n is not p \* q/);
    keyError(() => parsePkcs1PrivateKey(pkcs1(1, fields)), /DER: unsupported private key: multi-prime RSA/);
    keyError(() => parsePkcs1PrivateKey(pkcs1(0, fields.slice(0, 7))), /expected INTEGER, got end of data/);
    const noNull = pkcs8(w.sequence(w.oid(KEY.rsaEncryption)), pkcs1(0, fields));
    keyError(() => parsePkcs8PrivateKey(noNull), /parameters must be NULL/);
  });
  test('unsupported algorithms say what is supported', () => {
    keyError(
      () => parsePkcs8PrivateKey(pkcs8(w.sequence(w.oid('1.3.101.110')), w.octetString(new Uint8Array(32)))),
      /unsupported private key: algorithm 1.3.101.110; supported are EC P-256 and P-384, Ed25519, RSA and RSASSA-PSS/,
    );
  });
  test('PEM selection', () => {
    const ec = keyPem('int-p256', 'sec1');
    const withParams = `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${ec}`;
    expect(parsePrivateKey(withParams)).toEqual(p256);
    keyError(() => parsePrivateKey(ec + keyPem('int-p384', 'sec1')), /expected one .* found 2/, PemError);
    keyError(() => parsePrivateKey(keyPem('int-p256', 'spki')), /found 0 \(labels: PUBLIC KEY\)/, PemError);
    const enc = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n';
    keyError(() => parsePrivateKey(enc), /encrypted PKCS#8 keys are not supported/, PemError);
  });
  test('DER that is no private key', () => {
    keyError(() => parsePrivateKey(w.sequence(w.integer(0), w.nullValue())), /not a PKCS#8, SEC1 or PKCS#1 private key/);
    keyError(() => parsePrivateKey(Uint8Array.of(...der('int-p256', 'pkcs8'), 0)), /trailing/);
    expect(() => parsePrivateKey(42 as unknown as Uint8Array)).toThrow(TypeError);
  });
});
