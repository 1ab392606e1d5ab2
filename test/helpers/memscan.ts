// Memory-scan helper for the wipe tests: looks for a secret, or any 16-byte
// window of it, anywhere in the WASM core's linear memory.
import { getCore } from '../../bindings/loader.js';

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
