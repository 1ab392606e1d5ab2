// Scans the WASM core's linear memory for copies of secret bytes. One
// scanner for every test (Node and browser alike): the crypto wrappers, the
// handshake and the transport tests all ask the same question.
import { getCore } from '../../bindings/loader.js';

/**
 * Where copies of `secret`, whole or in part, sit in WASM memory: every
 * `window`-byte run of it (all of it when shorter) is searched for, and the
 * hits are merged into one entry per copy, the memory offset of the copy's
 * first matching byte. An empty list means no such run remains. Windows of
 * one repeated byte (zeros, say) are skipped: they say nothing about a leak.
 *
 * @example expect(findInWasmMemory(trafficKey)).toEqual([]);
 */
export function findInWasmMemory(secret: Uint8Array, window = 16): number[] {
  const mem = getCore().mem;
  const w = Math.min(window, secret.length);
  // Implied start of the secret in memory -> first matching offset of that copy.
  const copies = new Map<number, number>();
  for (let s = 0; s + w <= secret.length; s++) {
    const first = secret[s]!;
    let uniform = true;
    for (let j = 1; j < w && uniform; j++) uniform = secret[s + j] === first;
    if (uniform) continue;
    for (let i = mem.indexOf(first); i !== -1 && i + w <= mem.length; i = mem.indexOf(first, i + 1)) {
      let j = 1;
      while (j < w && mem[i + j] === secret[s + j]) j++;
      if (j < w) continue;
      const start = i - s;
      const seen = copies.get(start);
      if (seen === undefined || i < seen) copies.set(start, i);
    }
  }
  return [...copies.values()].sort((a, b) => a - b);
}

/** XORs every byte of `bytes` with `pad` (HMAC's ipad/opad forms of a key). */
export function xorPad(bytes: Uint8Array, pad: number): Uint8Array {
  return bytes.map((b) => b ^ pad);
}
