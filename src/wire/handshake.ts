// Handshake framing (RFC 8446 §4: msg_type u8 + uint24 length + body), the
// message_hash synthetic message (§4.4.1), and encode/decode over every
// message type.

import { decodeError, internalError, TlsError } from '../errors.js';
import { type Certificate, readCertificate, readCertificate12, writeCertificate } from './certificate.js';
import { type CertificateRequest, readCertificateRequest, writeCertificateRequest } from './certificate-request.js';
import { type CertificateVerify, readCertificateVerify, writeCertificateVerify } from './certificate-verify.js';
import { type ClientHello, readClientHello, writeClientHello } from './client-hello.js';
import { HANDSHAKE_HEADER_LENGTH, HandshakeType, handshakeTypeName } from './constants.js';
import { type EncryptedExtensions, readEncryptedExtensions, writeEncryptedExtensions } from './encrypted-extensions.js';
import { type Finished, readFinished, writeFinished } from './finished.js';
import { type KeyUpdate, readKeyUpdate, writeKeyUpdate } from './key-update.js';
import { type NewSessionTicket, readNewSessionTicket, writeNewSessionTicket } from './new-session-ticket.js';
import { type FieldObserver, Reader } from './reader.js';
import { type HelloRetryRequest, readServerHello, type ServerHello, writeServerHello } from './server-hello.js';
import {
  type ClientKeyExchange,
  type HelloRequest,
  readClientKeyExchange,
  readNewSessionTicket12,
  readServerKeyExchange,
  type ServerHelloDone,
  type ServerKeyExchange,
  writeClientKeyExchange,
  writeServerKeyExchange,
} from './tls12-messages.js';
import { Writer } from './writer.js';

/** EndOfEarlyData (§4.5): `struct {} EndOfEarlyData`. */
export interface EndOfEarlyData {
  type: 'end_of_early_data';
}

/** Every handshake message of RFC 8446 §4, tagged by `type`. */
export type HandshakeMessage =
  | ClientHello
  | ServerHello
  | HelloRetryRequest
  | EndOfEarlyData
  | EncryptedExtensions
  | Certificate
  | CertificateRequest
  | CertificateVerify
  | Finished
  | NewSessionTicket
  | KeyUpdate
  // TLS 1.2 only (src/wire/tls12-messages.ts).
  | HelloRequest
  | ServerKeyExchange
  | ServerHelloDone
  | ClientKeyExchange;

/** One framed handshake message as it came off the wire. */
export interface HandshakeFrame {
  /** HandshakeType (§4). */
  msgType: number;
  /** The body, without the 4-byte header. A view into `raw`. */
  body: Uint8Array;
  /** Header and body: the exact bytes the transcript hash takes (§4.4.1). */
  raw: Uint8Array;
}

const MESSAGE_TYPE: Readonly<Record<HandshakeMessage['type'], number>> = {
  client_hello: HandshakeType.client_hello,
  server_hello: HandshakeType.server_hello,
  hello_retry_request: HandshakeType.server_hello,
  end_of_early_data: HandshakeType.end_of_early_data,
  encrypted_extensions: HandshakeType.encrypted_extensions,
  certificate: HandshakeType.certificate,
  certificate_request: HandshakeType.certificate_request,
  certificate_verify: HandshakeType.certificate_verify,
  finished: HandshakeType.finished,
  new_session_ticket: HandshakeType.new_session_ticket,
  key_update: HandshakeType.key_update,
  hello_request: HandshakeType.hello_request,
  server_key_exchange: HandshakeType.server_key_exchange,
  server_hello_done: HandshakeType.server_hello_done,
  client_key_exchange: HandshakeType.client_key_exchange,
};

const MESSAGE_NAME: Readonly<Partial<Record<number, string>>> = {
  [HandshakeType.client_hello]: 'ClientHello',
  [HandshakeType.server_hello]: 'ServerHello',
  [HandshakeType.new_session_ticket]: 'NewSessionTicket',
  [HandshakeType.end_of_early_data]: 'EndOfEarlyData',
  [HandshakeType.encrypted_extensions]: 'EncryptedExtensions',
  [HandshakeType.certificate]: 'Certificate',
  [HandshakeType.certificate_request]: 'CertificateRequest',
  [HandshakeType.certificate_verify]: 'CertificateVerify',
  [HandshakeType.finished]: 'Finished',
  [HandshakeType.key_update]: 'KeyUpdate',
  [HandshakeType.hello_request]: 'HelloRequest',
  [HandshakeType.server_key_exchange]: 'ServerKeyExchange',
  [HandshakeType.server_hello_done]: 'ServerHelloDone',
  [HandshakeType.client_key_exchange]: 'ClientKeyExchange',
};

/**
 * The message name of a handshake type as RFC 8446 writes it (`'ClientHello'`),
 * or `unknown(0x..)`-style for others; for error messages.
 * @example handshakeName(2) // 'ServerHello'
 */
export function handshakeName(code: number): string {
  return MESSAGE_NAME[code] ?? handshakeTypeName(code);
}

/**
 * The HandshakeType of a message value (ServerHello for a HelloRetryRequest).
 * @example messageType({ type: 'key_update', updateRequested: false }) // 24
 */
export function messageType(m: HandshakeMessage): number {
  return MESSAGE_TYPE[m.type];
}

/**
 * Frames a body: `msg_type` (1) `length` (uint24) `body` (§4).
 * @example frameHandshake(HandshakeType.finished, verifyData)
 */
export function frameHandshake(msgType: number, body: Uint8Array): Uint8Array {
  if (!Number.isInteger(msgType) || msgType < 0 || msgType > 255) throw internalError(`handshake msg_type must be a uint8, got ${msgType}`);
  if (body.length > 0xffffff) throw internalError(`handshake body of ${body.length} bytes exceeds 2^24-1`);
  const out = new Uint8Array(HANDSHAKE_HEADER_LENGTH + body.length);
  out[0] = msgType;
  out[1] = body.length >>> 16;
  out[2] = (body.length >>> 8) & 0xff;
  out[3] = body.length & 0xff;
  out.set(body, HANDSHAKE_HEADER_LENGTH);
  return out;
}

/**
 * Splits exactly one framed handshake message; a short or long buffer is
 * decode_error. Use the reassembler (src/record) for a stream.
 * @example const frame = parseHandshakeFrame(bytes); decodeHandshake(frame)
 */
export function parseHandshakeFrame(bytes: Uint8Array): HandshakeFrame {
  const r = new Reader(bytes, 'Handshake');
  const msgType = r.u8('msg_type');
  const len = r.u24('length');
  if (len !== r.remaining) {
    throw decodeError(`Handshake: ${handshakeTypeName(msgType)} declares ${len} body bytes, ${r.remaining} present`);
  }
  return { msgType, body: bytes.subarray(HANDSHAKE_HEADER_LENGTH), raw: bytes };
}

/** Options of {@link decodeHandshake}. */
export interface DecodeOptions {
  /** Hash.length of the negotiated suite; required to decode Finished (§4.4.4). */
  hashLength?: number;
  /** Sees every field read (for a trace). */
  observe?: FieldObserver;
  /** Decode the TLS 1.2 forms of messages both versions have (Certificate, RFC 5246 §7.4.2). */
  tls12?: boolean;
}

/**
 * Decodes one handshake message body by its type. An unknown type, or the
 * transcript-only message_hash, is unexpected_message (§4).
 * @example const m = decodeHandshake(frame, { hashLength: 32 }); if (m.type === 'finished') ...
 */
export function decodeHandshake(frame: Pick<HandshakeFrame, 'msgType' | 'body'>, options: DecodeOptions = {}): HandshakeMessage {
  const name = MESSAGE_NAME[frame.msgType];
  if (name === undefined) {
    throw new TlsError('unexpected_message', `Handshake: unexpected handshake message type ${handshakeTypeName(frame.msgType)} (${frame.msgType})`);
  }
  const r = new Reader(frame.body, name, options.observe, HANDSHAKE_HEADER_LENGTH);
  switch (frame.msgType) {
    case HandshakeType.client_hello:
      return readClientHello(r);
    case HandshakeType.server_hello:
      return readServerHello(r);
    case HandshakeType.end_of_early_data:
      r.end();
      return { type: 'end_of_early_data' };
    case HandshakeType.encrypted_extensions:
      return readEncryptedExtensions(r);
    case HandshakeType.certificate:
      return options.tls12 === true ? readCertificate12(r) : readCertificate(r);
    case HandshakeType.certificate_request:
      return readCertificateRequest(r);
    case HandshakeType.certificate_verify:
      return readCertificateVerify(r);
    case HandshakeType.finished:
      if (options.hashLength === undefined) throw internalError('Finished: decodeHandshake needs options.hashLength');
      return readFinished(r, options.hashLength);
    case HandshakeType.new_session_ticket:
      return options.tls12 === true ? readNewSessionTicket12(r) : readNewSessionTicket(r);
    case HandshakeType.hello_request:
      r.end();
      return { type: 'hello_request' };
    case HandshakeType.server_key_exchange:
      return readServerKeyExchange(r);
    case HandshakeType.server_hello_done:
      r.end();
      return { type: 'server_hello_done' };
    case HandshakeType.client_key_exchange:
      return readClientKeyExchange(r);
    default:
      return readKeyUpdate(r);
  }
}

/**
 * Encodes a message with its 4-byte header: the bytes that go into records and
 * the transcript.
 * @example const bytes = encodeHandshake({ type: 'finished', verifyData })
 */
export function encodeHandshake(m: HandshakeMessage, observe?: FieldObserver): Uint8Array {
  const msgType = MESSAGE_TYPE[m.type];
  const w = new Writer(m.type === 'hello_retry_request' ? 'HelloRetryRequest' : (MESSAGE_NAME[msgType] as string), observe);
  w.u8(msgType, 'msg_type');
  w.vec24('body', 0, 0xffffff, () => {
    switch (m.type) {
      case 'client_hello':
        return writeClientHello(w, m);
      case 'server_hello':
      case 'hello_retry_request':
        return writeServerHello(w, m);
      case 'end_of_early_data':
        return;
      case 'encrypted_extensions':
        return writeEncryptedExtensions(w, m);
      case 'certificate':
        return writeCertificate(w, m);
      case 'certificate_request':
        return writeCertificateRequest(w, m);
      case 'certificate_verify':
        return writeCertificateVerify(w, m);
      case 'finished':
        return writeFinished(w, m);
      case 'new_session_ticket':
        return writeNewSessionTicket(w, m);
      case 'key_update':
        return writeKeyUpdate(w, m);
      case 'hello_request':
      case 'server_hello_done':
        return;
      case 'server_key_exchange':
        return writeServerKeyExchange(w, m);
      case 'client_key_exchange':
        return writeClientKeyExchange(w, m);
    }
  });
  return w.finish();
}

/**
 * The synthetic `message_hash` handshake message that replaces ClientHello1
 * in the transcript after a HelloRetryRequest (§4.4.1):
 * `message_hash (254) || 00 00 Hash.length || Hash(ClientHello1)`.
 * @example transcriptBytes = concat(messageHash(sha256(ch1)), hrr, ch2, ...)
 */
export function messageHash(clientHello1Hash: Uint8Array): Uint8Array {
  if (clientHello1Hash.length > 255) throw internalError(`message_hash: a ${clientHello1Hash.length}-byte hash is not a Hash(ClientHello1)`);
  return frameHandshake(HandshakeType.message_hash, clientHello1Hash);
}
