/**
 * `wasmtls` under the `workerd` export condition (Cloudflare Workers and
 * workerd): the same API as src/index.ts, with the WASM core imported as a
 * precompiled module, the way Workers require ("Wasm code generation
 * disallowed by embedder" refuses `new WebAssembly.Module(bytes)`). Wrangler
 * and workerd load `../wasmtls.wasm` (the package's `wasmtls/wasm` file) as
 * a `WebAssembly.Module` (workerd's `wasm` module type, wrangler's
 * CompiledWasm rule for `*.wasm`).
 * @module
 */
import wasm from '../wasmtls.wasm';
import { initWasm } from '../bindings/loader.js';

initWasm(wasm);

export * from './index.js';
