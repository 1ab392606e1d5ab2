// Scans the WASM core's linear memory for copies of secret bytes.
import { getCore } from '../../bindings/loader.js';

/**
 * Returns the offset of the first place in WASM memory holding any
 * `window`-byte run of `secret` (or all of it when shorter), or -1.
 */
export function findInWasmMemory(secret: Uint8Array, window = 16): number {
  const mem = getCore().mem;
  const w = Math.min(window, secret.length);
  for (let s = 0; s + w <= secret.length; s++) {
    const first = secret[s]!;
    for (let i = mem.indexOf(first); i !== -1 && i + w <= mem.length; i = mem.indexOf(first, i + 1)) {
      let j = 1;
      while (j < w && mem[i + j] === secret[s + j]) j++;
      if (j === w) return i;
    }
  }
  return -1;
}

/** XORs every byte of `bytes` with `pad` (HMAC's ipad/opad forms of a key). */
export function xorPad(bytes: Uint8Array, pad: number): Uint8Array {
  return bytes.map((b) => b ^ pad);
}

/** Offsets where `secret` or one of its 16-byte windows occurs in WASM memory. */
export function findInCore(secret: Uint8Array): number[] {
  const mem = getCore().mem;
  const hay = Buffer.from(mem.buffer, mem.byteOffset, mem.byteLength);
  const hits: number[] = [];
  const win = Math.min(16, secret.length);
  for (let i = 0; i + win <= secret.length; i++) {
    const needle = secret.subarray(i, i + win);
    // A window of one repeated byte (e.g. zeros) says nothing about a leak.
    if (needle.every((b) => b === needle[0])) continue;
    const at = hay.indexOf(needle);
    if (at >= 0) hits.push(at);
  }
  return hits;
}
