// The byte helpers the X.509 modules use: the shared ones of bindings/bytes.ts
// (public data only: these compare and print certificates, never secrets).
export { bitLength, concat, equalBytes, hex, toBigInt } from '../../bindings/bytes.js';
