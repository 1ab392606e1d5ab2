/**
 * wasmtls/crypto: the primitives of the WebAssembly core.
 * @module
 */
export { type Hasher, type HashFunction, type HashName, sha256, sha384, sha512 } from '../bindings/sha2.js';
export { hmac, hmacSha256, hmacSha384, hmacSha512 } from '../bindings/hmac.js';
export { hkdfExpand, hkdfExtract } from '../bindings/hkdf.js';
export { type RsaPrivateKey, type RsaPublicKey, rsa } from '../bindings/rsa.js';
