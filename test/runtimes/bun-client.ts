// Bun: node:net through wasmtls's Node stream transport, with the core
// supplied precompiled through initWasm (the wasmtls/wasm path).
import { readFileSync } from 'node:fs';
import { initWasm } from '../../src/index.js';
import { connectTcpStreams } from '../../src/transport/tcp-streams.js';
import { get } from './get.js';

declare const __PORT__: number;
declare const __CA__: string;
declare const __WASM__: string;

initWasm(new WebAssembly.Module(readFileSync(__WASM__)));
console.log(await get(__PORT__, __CA__, connectTcpStreams));
