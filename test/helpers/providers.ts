// The providers the engine, hostile and interop tests run once each: the
// WASM core, the @noble reference, and in Node the node:crypto provider
// (issue 18). The native one is imported only where node:crypto exists, so
// the same test files run in Chromium on the other two.
import type { CryptoProvider } from '../../src/provider.js';
import { wasmProvider } from '../../src/provider-wasm.js';
import { referenceProvider } from './reference-provider.js';

const inNode = typeof window === 'undefined' && typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** The node:crypto provider in Node, undefined in a browser. */
export const nativeProvider: CryptoProvider | undefined = inNode ? (await import('../../src/node-crypto/provider.js')).nodeCryptoProvider : undefined;

/** Every provider available in this runtime. */
export const PROVIDERS: readonly CryptoProvider[] = [wasmProvider, referenceProvider, ...(nativeProvider === undefined ? [] : [nativeProvider])];

/**
 * The providers the interop suites (test/interop, real peers over loopback)
 * run: the default WASM core and, in Node, the native one. The reference
 * provider is left to the in-memory suites; over sockets it adds minutes and
 * exercises no engine path the others miss.
 */
export const INTEROP_PROVIDERS: readonly CryptoProvider[] = [wasmProvider, ...(nativeProvider === undefined ? [] : [nativeProvider])];
