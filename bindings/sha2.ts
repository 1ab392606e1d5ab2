// SHA-224, SHA-256, SHA-384 and SHA-512 (FIPS 180-4) over the WASM core.

import { type Core, getCore, wipeIo } from './loader.js';
import { bytes } from './validate.js';

/** Hash functions the core implements. */
export type HashName = 'sha224' | 'sha256' | 'sha384' | 'sha512';

interface HashExports {
  hashStatePtr(): number;
  hashIoInit(alg: number): void;
  hashIoUpdate(alg: number, len: number): void;
  hashIoFinal(alg: number): void;
  hashIoOneShot(alg: number, len: number): void;
}

/** Algorithm ids of assembly/hash.ts. */
export const HASH_ID: Readonly<Record<HashName, number>> = { sha224: 3, sha256: 0, sha384: 1, sha512: 2 };
/** Digest sizes in bytes. */
export const HASH_LEN: Readonly<Record<HashName, number>> = { sha224: 28, sha256: 32, sha384: 48, sha512: 64 };
/** State sizes of assembly/sha256.ts and assembly/sha512.ts. */
const STATE_LEN: Readonly<Record<HashName, number>> = { sha224: 112, sha256: 112, sha384: 208, sha512: 208 };

/** Throws a TypeError unless `name` is a supported hash. */
export function hashName(name: string, value: unknown): HashName {
  if (value !== 'sha224' && value !== 'sha256' && value !== 'sha384' && value !== 'sha512') {
    throw new TypeError(`${name} must be 'sha224', 'sha256', 'sha384' or 'sha512', got ${String(value)}`);
  }
  return value;
}

function exportsOf(c: Core): HashExports {
  return c.x as unknown as HashExports;
}

/** Feeds `data` into the boundary hash state in IO-sized chunks. */
function absorb(c: Core, x: HashExports, alg: number, data: Uint8Array): void {
  for (let off = 0; off < data.length; off += c.ioSize) {
    const n = Math.min(c.ioSize, data.length - off);
    c.mem.set(data.subarray(off, off + n), c.io);
    x.hashIoUpdate(alg, n);
    wipeIo(c, n);
  }
}

function digest(name: HashName, data: Uint8Array): Uint8Array {
  const c = getCore();
  const x = exportsOf(c);
  const alg = HASH_ID[name];
  const outLen = HASH_LEN[name];
  if (data.length <= c.ioSize) {
    c.mem.set(data, c.io);
    x.hashIoOneShot(alg, data.length);
    const out = c.mem.slice(c.io, c.io + outLen);
    wipeIo(c, Math.max(data.length, outLen));
    return out;
  }
  x.hashIoInit(alg);
  absorb(c, x, alg, data);
  x.hashIoFinal(alg);
  const out = c.mem.slice(c.io, c.io + outLen);
  wipeIo(c, outLen);
  return out;
}

/** An incremental hash, as returned by `sha256.create()` and its siblings. */
export interface Hasher {
  /** Absorbs `data`; returns the hasher for chaining. */
  update(data: Uint8Array): this;
  /** Returns the digest; the hasher cannot be used afterwards. */
  digest(): Uint8Array;
  /**
   * An independent copy of the running state: e.g. the hash of a prefix
   * while hashing goes on (a TLS transcript hashed once, digested often).
   * @example const h = sha256.create().update(a); const ha = h.clone().digest(); h.update(b);
   */
  clone(): Hasher;
}

class WasmHasher implements Hasher {
  readonly #name: HashName;
  /** This hasher's copy of the core's state; swapped in for each call. */
  #state: Uint8Array | undefined;

  constructor(name: HashName, state?: Uint8Array) {
    this.#name = name;
    if (state !== undefined) {
      this.#state = state;
      return;
    }
    const c = getCore();
    const x = exportsOf(c);
    const st = x.hashStatePtr();
    const len = STATE_LEN[name];
    x.hashIoInit(HASH_ID[name]);
    this.#state = c.mem.slice(st, st + len);
    c.mem.fill(0, st, st + len);
  }

  update(data: Uint8Array): this {
    bytes('data', data);
    const state = this.#live();
    const c = getCore();
    const x = exportsOf(c);
    const st = x.hashStatePtr();
    c.mem.set(state, st);
    absorb(c, x, HASH_ID[this.#name], data);
    state.set(c.mem.subarray(st, st + state.length));
    c.mem.fill(0, st, st + state.length);
    return this;
  }

  digest(): Uint8Array {
    const state = this.#live();
    const c = getCore();
    const x = exportsOf(c);
    c.mem.set(state, x.hashStatePtr());
    state.fill(0);
    this.#state = undefined;
    x.hashIoFinal(HASH_ID[this.#name]);
    const len = HASH_LEN[this.#name];
    const out = c.mem.slice(c.io, c.io + len);
    wipeIo(c, len);
    return out;
  }

  clone(): Hasher {
    return new WasmHasher(this.#name, this.#live().slice());
  }

  #live(): Uint8Array {
    if (this.#state === undefined) throw new Error(`${this.#name} hasher already digested`);
    return this.#state;
  }
}

/** A one-shot hash function that also offers `create()` for streaming. */
export interface HashFunction {
  (data: Uint8Array): Uint8Array;
  /** Starts an incremental hash. */
  create(): Hasher;
  /** Digest length in bytes. */
  readonly outputLen: number;
  /** Block length in bytes. */
  readonly blockLen: number;
}

function hashFunction(name: HashName, blockLen: number): HashFunction {
  const fn = (data: Uint8Array): Uint8Array => digest(name, bytes('data', data));
  return Object.assign(fn, {
    create: (): Hasher => new WasmHasher(name),
    outputLen: HASH_LEN[name],
    blockLen,
  });
}

/**
 * SHA-256 (FIPS 180-4).
 * @example sha256(new TextEncoder().encode('abc')) // ba7816bf...
 * @example sha256.create().update(a).update(b).digest()
 */
export const sha256: HashFunction = hashFunction('sha256', 64);
/** SHA-224 (FIPS 180-4 §6.3), with `.create()` like {@link sha256}. */
export const sha224: HashFunction = hashFunction('sha224', 64);
/** SHA-384 (FIPS 180-4), with `.create()` like {@link sha256}. */
export const sha384: HashFunction = hashFunction('sha384', 128);
/** SHA-512 (FIPS 180-4), with `.create()` like {@link sha256}. */
export const sha512: HashFunction = hashFunction('sha512', 128);
