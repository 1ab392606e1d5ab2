// Instantiates the WASM core synchronously, on first use, from the inlined
// base64 in wasm.generated.ts. No fs, fetch, import.meta.url or top-level
// await, so Node, esbuild, vite and webpack all take this file as it is.
// Where compiling WASM from bytes is refused (Cloudflare Workers: "Wasm code
// generation disallowed by embedder"), initWasm() supplies the module
// precompiled (the `wasmtls/wasm` file, imported as a module) instead.

import { wasmBase64 } from './wasm.generated.js';

/** Exports every wrapper relies on; each wrapper types its own functions. */
export interface BaseExports {
  readonly memory: WebAssembly.Memory;
  ioPtr(): number;
  ioSize(): number;
}

/** The instantiated core with a byte view of its memory and the IO window. */
export interface Core {
  /** The module's exports; wrappers cast this to their own interface. */
  readonly x: BaseExports & Record<string, unknown>;
  /** All of linear memory. The module never grows it, so this view stays valid. */
  readonly mem: Uint8Array;
  /** Offset of the IO buffer in `mem`. */
  readonly io: number;
  /** Size of the IO buffer. */
  readonly ioSize: number;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard base64 (with or without padding) through a lookup table. */
export function decodeBase64(s: string): Uint8Array {
  const table = new Uint8Array(128).fill(255);
  for (let i = 0; i < 64; i++) table[ALPHABET.charCodeAt(i)] = i;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */) end--;
  const out = new Uint8Array((end * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? table[c]! : 255;
    if (v === 255) throw new SyntaxError(`invalid base64 character at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

let core: Core | undefined;
let supplied: WebAssembly.Module | undefined;

/**
 * Supplies the core as a precompiled `WebAssembly.Module` (the package's
 * `wasmtls/wasm` file), used instead of compiling the inlined bytes: for
 * Cloudflare Workers, or pages whose CSP allows no WASM compilation from
 * bytes. Call it before the first TLS or crypto operation; the `workerd`
 * export condition of `wasmtls` does. Throws a TypeError for a module that
 * is not this core, an Error once the core is in use with another module.
 *
 * @example
 * ```text
 * import wasm from 'wasmtls/wasm';
 * import { initWasm } from 'wasmtls';
 * initWasm(wasm);
 * ```
 */
export function initWasm(module: WebAssembly.Module): void {
  if (!(module instanceof WebAssembly.Module)) throw new TypeError('initWasm(module): module must be a WebAssembly.Module (the wasmtls/wasm file)');
  const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  for (const name of ['memory', 'ioPtr', 'ioSize']) {
    if (!names.has(name)) throw new TypeError(`initWasm(module): not the wasmtls core (no export ${name})`);
  }
  if (module === supplied) return;
  if (core !== undefined) throw new Error('initWasm(module): the WASM core is already in use; call initWasm before the first TLS or crypto operation');
  supplied = module;
}

/** Returns the core, instantiating it on the first call. */
export function getCore(): Core {
  if (core !== undefined) return core;
  const module = supplied ?? new WebAssembly.Module(decodeBase64(wasmBase64) as Uint8Array<ArrayBuffer>);
  const instance = new WebAssembly.Instance(module, {});
  const x = instance.exports as unknown as Core['x'];
  core = {
    x,
    mem: new Uint8Array(x.memory.buffer),
    io: x.ioPtr(),
    ioSize: x.ioSize(),
  };
  return core;
}

/** Zeroes `len` bytes of the IO buffer from `offset`. */
export function wipeIo(c: Core, len: number, offset = 0): void {
  c.mem.fill(0, c.io + offset, c.io + offset + len);
}
