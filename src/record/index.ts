// Record framing (RFC 8446 §5): deframer, handshake reassembly, inner plaintext.

export { type TlsRecord, RecordDeframer } from './deframer.js';
export { DEFAULT_MAX_HANDSHAKE_MESSAGE, HandshakeReassembler, type ReassemblerOptions } from './handshake-reassembler.js';
export { decodeInnerPlaintext, encodeInnerPlaintext } from './inner-plaintext.js';
export { frameRecords, recordHeader } from './framer.js';
