/**
 * wasmtls/node-crypto: the crypto provider over node:crypto (OpenSSL), for
 * Node only. Pass it as `provider` to any client or server; see
 * docs/engine.md ("Choosing a provider") for when to.
 * @module
 */
export { nodeCryptoProvider } from './provider.js';
