// RSA for tests only (BigInt, not constant time): RSASSA-PSS sign/verify and
// PKCS#1 v1.5 verify (RFC 8017 §8.1, §8.2, §9.1, §9.2). Lets the reference
// provider run RSA handshakes in Node and Chromium alike.
import { sha256, sha384, sha512 } from '../../src/crypto.js';
import type { RsaPrivateKey } from '../../src/x509/keys.js';

type Hash = 'sha256' | 'sha384' | 'sha512';
const H = { sha256, sha384, sha512 } as const;
const HLEN = { sha256: 32, sha384: 48, sha512: 64 } as const;
// RFC 8017 §9.2 note 1: DER of DigestInfo before the hash.
const DIGEST_INFO = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
} as const;

function toBig(b: Uint8Array): bigint {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}

function toBytes(x: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--, x >>= 8n) out[i] = Number(x & 0xffn);
  return out;
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

function bitLen(x: bigint): number {
  return x.toString(2).length;
}

function mgf1(hash: Hash, seed: Uint8Array, len: number): Uint8Array {
  const out = new Uint8Array(len);
  const hl = HLEN[hash];
  for (let c = 0, at = 0; at < len; c++, at += hl) {
    const buf = new Uint8Array(seed.length + 4);
    buf.set(seed);
    buf[seed.length] = c >>> 24;
    buf[seed.length + 1] = (c >>> 16) & 0xff;
    buf[seed.length + 2] = (c >>> 8) & 0xff;
    buf[seed.length + 3] = c & 0xff;
    out.set(H[hash](buf).subarray(0, Math.min(hl, len - at)), at);
  }
  return out;
}

function mPrime(hash: Hash, mHash: Uint8Array, salt: Uint8Array): Uint8Array {
  const m = new Uint8Array(8 + mHash.length + salt.length);
  m.set(mHash, 8);
  m.set(salt, 8 + mHash.length);
  return H[hash](m);
}

/** RSASSA-PSS-SIGN with MGF1(hash) and a salt of the hash length (RFC 8017 §8.1.1, §9.1.1). */
export function rsaPssSign(hash: Hash, key: RsaPrivateKey, message: Uint8Array, salt?: Uint8Array): Uint8Array {
  const n = toBig(key.n);
  const modBits = bitLen(n);
  const k = Math.ceil(modBits / 8);
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hl = HLEN[hash];
  const s = salt ?? globalThis.crypto.getRandomValues(new Uint8Array(hl));
  const h = mPrime(hash, H[hash](message), s);
  const db = new Uint8Array(emLen - hl - 1);
  db[db.length - s.length - 1] = 1;
  db.set(s, db.length - s.length);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] as number) ^ (mask[i] as number);
  db[0] = (db[0] as number) & (0xff >>> (8 * emLen - emBits));
  const em = new Uint8Array(emLen);
  em.set(db);
  em.set(h, db.length);
  em[emLen - 1] = 0xbc;
  // RSASP1 with the CRT (RFC 8017 §5.2.1).
  const m = toBig(em);
  const p = toBig(key.p);
  const q = toBig(key.q);
  const s1 = modPow(m, toBig(key.dp), p);
  const s2 = modPow(m, toBig(key.dq), q);
  const hh = (((s1 - s2) % p) + p) % p * toBig(key.qi) % p;
  return toBytes(s2 + q * hh, k);
}

function rsavp1(n: bigint, e: bigint, sig: Uint8Array): bigint | undefined {
  const s = toBig(sig);
  if (s >= n) return undefined;
  return modPow(s, e, n);
}

/** RSASSA-PSS-VERIFY, salt length = hash length (RFC 8017 §8.1.2, §9.1.2). */
export function rsaPssVerify(hash: Hash, pub: { n: Uint8Array; e: Uint8Array }, message: Uint8Array, signature: Uint8Array): boolean {
  const n = toBig(pub.n);
  const modBits = bitLen(n);
  const k = Math.ceil(modBits / 8);
  if (signature.length !== k) return false;
  const m = rsavp1(n, toBig(pub.e), signature);
  if (m === undefined) return false;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hl = HLEN[hash];
  if (emLen < 2 * hl + 2) return false;
  const em = toBytes(m, emLen);
  if (em[emLen - 1] !== 0xbc) return false;
  const db = em.slice(0, emLen - hl - 1);
  const h = em.subarray(emLen - hl - 1, emLen - 1);
  if (((db[0] as number) & ~(0xff >>> (8 * emLen - emBits)) & 0xff) !== 0) return false;
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] as number) ^ (mask[i] as number);
  db[0] = (db[0] as number) & (0xff >>> (8 * emLen - emBits));
  const ps = db.length - hl - 1;
  for (let i = 0; i < ps; i++) if (db[i] !== 0) return false;
  if (db[ps] !== 1) return false;
  const h2 = mPrime(hash, H[hash](message), db.subarray(ps + 1));
  return h2.every((b, i) => b === h[i]);
}

/** RSASSA-PKCS1-v1_5-VERIFY (RFC 8017 §8.2.2). */
export function rsaPkcs1Verify(hash: Hash, pub: { n: Uint8Array; e: Uint8Array }, message: Uint8Array, signature: Uint8Array): boolean {
  const n = toBig(pub.n);
  const k = Math.ceil(bitLen(n) / 8);
  if (signature.length !== k) return false;
  const m = rsavp1(n, toBig(pub.e), signature);
  if (m === undefined) return false;
  const em = toBytes(m, k);
  const prefix = DIGEST_INFO[hash];
  const t = new Uint8Array(prefix.length / 2 + HLEN[hash]);
  for (let i = 0; i < prefix.length / 2; i++) t[i] = parseInt(prefix.slice(2 * i, 2 * i + 2), 16);
  t.set(H[hash](message), prefix.length / 2);
  if (em[0] !== 0 || em[1] !== 1 || em[k - t.length - 1] !== 0) return false;
  for (let i = 2; i < k - t.length - 1; i++) if (em[i] !== 0xff) return false;
  return t.every((b, i) => b === em[k - t.length + i]);
}
