// The module's exports: the JavaScript-facing boundary of each primitive.
export { ioPtr, ioSize } from './io';
export { hashStatePtr, hashIoInit, hashIoUpdate, hashIoFinal, hashIoOneShot } from './hash';
export { hmacIo, hmacIoInit, hmacIoUpdate, hmacIoFinal } from './hmac';
export { hkdfIoExpand } from './hkdf';
export { rsaPublicIo, rsaPrivateIo } from './rsa';
