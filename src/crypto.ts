/**
 * wasmtls/crypto: the primitives of the WebAssembly core.
 * @module
 */
export { type Hasher, type HashFunction, type HashName, sha224, sha256, sha384, sha512 } from '../bindings/sha2.js';
export { hmac, hmacSha256, hmacSha384, hmacSha512 } from '../bindings/hmac.js';
export { hkdfExpand, hkdfExtract } from '../bindings/hkdf.js';
export { InvalidKeyError } from '../bindings/errors.js';
export { type P256, p256 } from '../bindings/p256.js';
export { type P384, p384 } from '../bindings/p384.js';
export { type EcdsaP256, type EcdsaP384, ecdsaP256, ecdsaP384 } from '../bindings/ecdsa.js';
export { ChaCha20Poly1305 } from '../bindings/chacha20poly1305.js';
export { AuthenticationError } from '../bindings/errors.js';
export { AesGcm } from '../bindings/aes-gcm.js';
export { x25519 } from '../bindings/x25519.js';
export { ed25519 } from '../bindings/ed25519.js';
export { type RsaPrivateKey, type RsaPublicKey, rsa } from '../bindings/rsa.js';
export { sha3_256, sha3_512, shake128, shake256 } from '../bindings/sha3.js';
export { type MlKemEncapsulation, type MlKemKeyPair, mlkem768 } from '../bindings/mlkem.js';
