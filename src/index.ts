/**
 * wasmtls: TLS 1.3 for JavaScript on a constant-time WebAssembly core.
 * The TLS engine arrives with the protocol work; today the package exports
 * the crypto core, also available as `wasmtls/crypto`.
 * @module
 */
export * from './crypto.js';
