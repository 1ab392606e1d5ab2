// RSA against node:crypto on generated keys and random messages, both
// directions, plus a scan of WASM memory for key material after signing.
import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  generatePrimeSync,
  type KeyObject,
  randomBytes,
  randomInt,
  sign,
  verify,
} from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { getCore } from '../bindings/loader.js';
import { type RsaPrivateKey, rsa } from '../src/crypto.js';

const hashes = ['sha256', 'sha384', 'sha512'] as const;
const HASH_LEN = { sha256: 32, sha384: 48, sha512: 64 } as const;

interface Generated {
  label: string;
  node: KeyObject;
  nodePublic: KeyObject;
  key: RsaPrivateKey;
}

function generate(bits: number, publicExponent = 65537): Generated {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent });
  const jwk = privateKey.export({ format: 'jwk' });
  const b = (s: string | undefined): Uint8Array => new Uint8Array(Buffer.from(s!, 'base64url'));
  const key = { n: b(jwk.n), e: b(jwk.e), d: b(jwk.d), p: b(jwk.p), q: b(jwk.q), dp: b(jwk.dp), dq: b(jwk.dq), qi: b(jwk.qi) };
  return { label: `${bits}-bit, e = ${publicExponent}`, node: privateKey, nodePublic: publicKey, key };
}

/** a^-1 mod m (BigInt, extended Euclid). */
function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return ((s0 % m) + m) % m;
}

/**
 * A key built from primes of the given sizes, for shapes OpenSSL's key
 * generation does not produce: a modulus of 8k + 1 bits (the PSS encoded
 * message is then one byte shorter than n, RFC 8017 §9.1.1), p < q of
 * unequal lengths (m2 >= p in the CRT recombination), and prime lengths
 * that are multiples of 7 bytes.
 */
function fromPrimes(pBits: number, qBits: number, nBits: number): Generated {
  const e = 65537n;
  for (;;) {
    const p = generatePrimeSync(pBits, { bigint: true });
    const q = generatePrimeSync(qBits, { bigint: true });
    const n = p * q;
    if (n.toString(2).length !== nBits || (p - 1n) % e === 0n || (q - 1n) % e === 0n) continue;
    const d = inverse(e, ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n));
    const b64 = (v: bigint): string => {
      const hex = v.toString(16);
      return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
    };
    const jwk = {
      kty: 'RSA',
      n: b64(n),
      e: b64(e),
      d: b64(d),
      p: b64(p),
      q: b64(q),
      dp: b64(d % (p - 1n)),
      dq: b64(d % (q - 1n)),
      qi: b64(inverse(q, p)),
    };
    const node = createPrivateKey({ key: jwk, format: 'jwk' });
    const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64url'));
    const key = { n: b(jwk.n), e: b(jwk.e), d: b(jwk.d), p: b(jwk.p), q: b(jwk.q), dp: b(jwk.dp), dq: b(jwk.dq), qi: b(jwk.qi) };
    return { label: `${nBits}-bit from ${pBits}- and ${qBits}-bit primes`, node, nodePublic: createPublicKey(node), key };
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

// 1008-bit primes are 126 bytes, a multiple of 7: digitsOf adds a digit so
// that 4p < R holds for the lazy Montgomery products (assembly/bignum.ts).
const keys = [
  generate(2048),
  generate(3072),
  generate(2048, 3),
  fromPrimes(1025, 1024, 2049),
  fromPrimes(1000, 1100, 2100),
  fromPrimes(1008, 1040, 2048),
];
const pssOptions = (k: KeyObject, hash: keyof typeof HASH_LEN) => ({
  key: k,
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: HASH_LEN[hash],
});

function flipBit(b: Uint8Array): Uint8Array {
  const out = b.slice();
  const bit = randomInt(0, out.length * 8);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

describe.each(keys)('$label against node:crypto', ({ node, nodePublic, key }) => {
  const pub = { n: key.n, e: key.e };

  test.each(hashes)('%s: node signs, we verify; tampered signatures and messages are rejected', (hash) => {
    for (let i = 0; i < 6; i++) {
      const msg = randomBytes(randomInt(0, 2000));
      const v15 = sign(hash, msg, node);
      const pss = sign(hash, msg, pssOptions(node, hash));
      expect(rsa.verifyPkcs1v15(hash, v15, msg, pub)).toBe(true);
      expect(rsa.verifyPss(hash, pss, msg, pub)).toBe(true);
      expect(rsa.verifyPkcs1v15(hash, pss, msg, pub)).toBe(false);
      expect(rsa.verifyPss(hash, v15, msg, pub)).toBe(false);
      expect(rsa.verifyPkcs1v15(hash, flipBit(v15), msg, pub)).toBe(false);
      expect(rsa.verifyPss(hash, flipBit(pss), msg, pub)).toBe(false);
      const other = flipBit(msg.length ? msg : Uint8Array.of(0));
      expect(rsa.verifyPkcs1v15(hash, v15, other, pub)).toBe(false);
      expect(rsa.verifyPss(hash, pss, other, pub)).toBe(false);
    }
  });

  test.each(hashes)('%s: we sign, node verifies; PKCS #1 v1.5 signatures are identical', (hash) => {
    for (let i = 0; i < 3; i++) {
      const msg = randomBytes(randomInt(0, 2000));
      const pss = rsa.signPss(hash, msg, key);
      expect(verify(hash, msg, pssOptions(nodePublic, hash), pss)).toBe(true);
      expect(verify(hash, flipBit(msg.length ? msg : Uint8Array.of(0)), pssOptions(nodePublic, hash), pss)).toBe(false);
      const v15 = rsa.signPkcs1v15(hash, msg, key);
      expect(Buffer.from(v15).toString('hex')).toBe(sign(hash, msg, node).toString('hex'));
      expect(verify(hash, msg, nodePublic, v15)).toBe(true);
    }
  });
});

/** 28-bit little-endian digits of a big-endian integer, as the core stores them, in bytes. */
function digits28(be: Uint8Array): Uint8Array {
  let v = 0n;
  for (const byte of be) v = (v << 8n) | BigInt(byte);
  const out: number[] = [];
  while (v > 0n) {
    const d = Number(v & 0xfffffffn);
    out.push(d & 0xff, (d >> 8) & 0xff, (d >> 16) & 0xff, d >>> 24);
    v >>= 28n;
  }
  return Uint8Array.from(out);
}

/** Offsets in `mem` where any 16-byte window of any secret occurs (first-u32 index, then full compare). */
function findWindows(mem: Uint8Array, secrets: Uint8Array[]): string[] {
  const byHead = new Map<number, Uint8Array[]>();
  for (const s of secrets) {
    for (let i = 0; i + 16 <= s.length; i++) {
      const w = s.subarray(i, i + 16);
      // Windows of zeros say nothing about the key (and zeroed memory is full of them).
      if (w.every((b) => b === 0)) continue;
      const head = new DataView(w.buffer, w.byteOffset, 4).getUint32(0, true);
      const list = byHead.get(head) ?? [];
      list.push(w);
      byHead.set(head, list);
    }
  }
  const view = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  const hits: string[] = [];
  for (let at = 0; at + 16 <= mem.length; at++) {
    const list = byHead.get(view.getUint32(at, true));
    if (list === undefined) continue;
    for (const w of list) {
      let same = true;
      for (let j = 4; j < 16 && same; j++) same = mem[at + j] === w[j];
      if (same) hits.push(`offset ${at}`);
    }
  }
  return hits;
}

describe('key material does not stay in WASM memory', () => {
  test.each(keys)('$label: after signPss and signPkcs1v15, no 16-byte window of d, p, q, dp, dq, qi', ({ key }) => {
    const secrets = [key.d, key.p, key.q, key.dp, key.dq, key.qi];
    // The core's own representation of the same numbers, too.
    const all = [...secrets, ...secrets.map(digits28)];
    const mem = getCore().mem;
    // The scan finds a planted window (so a clean result means something).
    const at = getCore().io + 1000;
    mem.set(key.p.subarray(10, 30), at);
    expect(findWindows(mem, all).length).toBeGreaterThan(0);
    mem.fill(0, at, at + 20);
    rsa.signPss('sha256', randomBytes(100), key);
    expect(findWindows(getCore().mem, all)).toEqual([]);
    rsa.signPkcs1v15('sha384', randomBytes(100), key);
    expect(findWindows(getCore().mem, all)).toEqual([]);
  });
});
