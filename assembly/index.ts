// The module's exports: the JavaScript-facing boundary of each primitive.
export { ioPtr, ioSize } from './io';
export { hashStatePtr, hashIoInit, hashIoUpdate, hashIoFinal, hashIoOneShot } from './hash';
export { hmacIo, hmacIoInit, hmacIoUpdate, hmacIoFinal } from './hmac';
export { hkdfIoExpand } from './hkdf';
export { p256PublicKeyIo, p256EcdhIo } from './p256';
export { ecdsaP256SignIo, ecdsaP256VerifyIo, ecdsaP384SignIo, ecdsaP384VerifyIo } from './ecdsa';
export { chacha20Io } from './chacha20';
export { poly1305Io } from './poly1305';
export {
  chachaPolySeal, chachaPolyOpen, chachaPolyStart, chachaPolyAad, chachaPolyEncrypt, chachaPolyFinish,
  chachaPolyAbsorb, chachaPolyVerify, chachaPolyDecrypt, chachaPolyWipe,
} from './chacha20poly1305';
export { gcmCtxPtr, gcmCtxSize, gcmKey, gcmBegin, gcmAad, gcmSeal, gcmHash, gcmCtr, gcmTag, gcmVerify, gcmWipe } from './gcm';
export { x25519Io, x25519BaseIo } from './x25519';
export { edBaseTablePtr } from './ge25519';
export {
  edPublicKeyIo, edSignInit, edSignUpdate, edSignMid, edSignFinal, edSignIo,
  edVerifyInit, edVerifyUpdate, edVerifyFinal, edVerifyIo,
} from './ed25519';
export { rsaPublicIo, rsaPrivateIo } from './rsa';
export { keccakIoInit, keccakIoUpdate, keccakIoFinal } from './keccak';
export { mlkem768KeygenIo, mlkem768EncapsIo, mlkem768DecapsIo } from './mlkem';
export { p384PublicKeyIo, p384EcdhIo } from './p384';
