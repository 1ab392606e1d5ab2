// The module's exports: the JavaScript-facing boundary of each primitive.
export { ioPtr, ioSize } from './io';
export { hashStatePtr, hashIoInit, hashIoUpdate, hashIoFinal, hashIoOneShot } from './hash';
export { hmacIo, hmacIoInit, hmacIoUpdate, hmacIoFinal } from './hmac';
export { hkdfIoExpand } from './hkdf';
export { x25519Io, x25519BaseIo } from './x25519';
export {
  edPublicKeyIo, edSignInit, edSignUpdate, edSignMid, edSignFinal, edSignIo,
  edVerifyInit, edVerifyUpdate, edVerifyFinal, edVerifyIo,
} from './ed25519';
