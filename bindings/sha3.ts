// SHA3-256, SHA3-512, SHAKE128 and SHAKE256 (FIPS 202) over the WASM core's
// Keccak-f[1600] (assembly/keccak.ts).

import { getCore, wipeIo } from './loader.js';
import { bytes, integer } from './validate.js';

interface KeccakExports {
  keccakIoInit(): void;
  keccakIoUpdate(kind: number, len: number): void;
  keccakIoFinal(kind: number, outLen: number): void;
}

function sponge(kind: number, data: Uint8Array, outLen: number): Uint8Array {
  const c = getCore();
  const x = c.x as unknown as KeccakExports;
  x.keccakIoInit();
  for (let off = 0; off < data.length; off += c.ioSize) {
    const n = Math.min(c.ioSize, data.length - off);
    c.mem.set(data.subarray(off, off + n), c.io);
    x.keccakIoUpdate(kind, n);
    wipeIo(c, n);
  }
  x.keccakIoFinal(kind, outLen);
  const out = c.mem.slice(c.io, c.io + outLen);
  wipeIo(c, outLen);
  return out;
}

/** Largest output `shake128`/`shake256` return in one call: the core's IO buffer. */
const MAX_XOF = 65536;

/**
 * SHA3-256 (FIPS 202 §6.1).
 * @example const digest = sha3_256(new TextEncoder().encode('abc'));
 */
export function sha3_256(data: Uint8Array): Uint8Array {
  return sponge(0, bytes('data', data), 32);
}

/**
 * SHA3-512 (FIPS 202 §6.1).
 * @example const digest = sha3_512(new TextEncoder().encode('abc'));
 */
export function sha3_512(data: Uint8Array): Uint8Array {
  return sponge(1, bytes('data', data), 64);
}

/**
 * SHAKE128 (FIPS 202 §6.2) with `outputLength` bytes of output (1 to 65536).
 * @example const out = shake128(new Uint8Array(0), 32);
 */
export function shake128(data: Uint8Array, outputLength: number): Uint8Array {
  return sponge(2, bytes('data', data), integer('outputLength', outputLength, 1, MAX_XOF));
}

/**
 * SHAKE256 (FIPS 202 §6.2) with `outputLength` bytes of output (1 to 65536).
 * @example const out = shake256(new Uint8Array(0), 64);
 */
export function shake256(data: Uint8Array, outputLength: number): Uint8Array {
  return sponge(3, bytes('data', data), integer('outputLength', outputLength, 1, MAX_XOF));
}
