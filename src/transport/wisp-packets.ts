/**
 * The Wisp packet codec (MercuryWorkshop's Wisp protocol, v1 and v2:
 * https://github.com/MercuryWorkshop/wisp-protocol, protocol.md, branch v2
 * for version 2), shared by the client (src/transport/wisp.ts) and the
 * tunnel's Wisp server (src/tunnel/wisp.ts). One packet per WebSocket
 * message; every integer little-endian ("Packet format").
 *
 * ```text
 * packet   = type:u8 stream_id:u32 payload
 * CONNECT  = stream_type:u8 port:u16 hostname:utf8     (0x01)
 * DATA     = bytes                                      (0x02)
 * CONTINUE = buffer_remaining:u32                       (0x03)
 * CLOSE    = reason:u8                                  (0x04)
 * INFO     = major:u8 minor:u8 { id:u8 len:u32 data }*  (0x05, v2)
 * ```
 * Decoding is strict: a short packet, a CONTINUE that is not 4 bytes, a
 * CLOSE that is not 1 byte, a CONNECT hostname that is not UTF-8 or an INFO
 * extension running past the end throw a {@link WispError}.
 * @module
 */

/** Packet types ("Packet Types"). */
export const PACKET = { CONNECT: 0x01, DATA: 0x02, CONTINUE: 0x03, CLOSE: 0x04, INFO: 0x05 } as const;

/** CONNECT stream types. */
export const STREAM_TYPE = { TCP: 0x01, UDP: 0x02 } as const;

/** CLOSE reasons ("Close Reasons"; 0x04 and 0xc0.. are v2's). */
export const CLOSE_REASON = {
  unspecified: 0x01,
  voluntary: 0x02,
  networkError: 0x03,
  incompatibleExtensions: 0x04,
  invalidInfo: 0x41,
  unreachable: 0x42,
  connectTimeout: 0x43,
  refused: 0x44,
  dataTimeout: 0x47,
  blocked: 0x48,
  throttled: 0x49,
  clientError: 0x81,
  authPassword: 0xc0,
  authSignature: 0xc1,
  authRequired: 0xc2,
} as const;

const REASON_TEXT: Readonly<Record<number, string>> = {
  0x01: 'unspecified',
  0x02: 'voluntary closure',
  0x03: 'network error',
  0x04: 'incompatible extensions',
  0x41: 'invalid stream information',
  0x42: 'destination unreachable',
  0x43: 'connection to the destination timed out',
  0x44: 'destination refused the connection',
  0x47: 'data transfer timed out',
  0x48: 'destination blocked by the proxy',
  0x49: 'throttled by the proxy',
  0x81: 'client error',
  0xc0: 'password authentication failed',
  0xc1: 'key authentication failed',
  0xc2: 'authentication required',
};

/** v2 protocol extension ids ("Protocol Extensions"). */
export const EXTENSION = { UDP: 0x01, PASSWORD: 0x02, KEY: 0x03, MOTD: 0x04, STREAM_CONFIRMATION: 0x05 } as const;

/** A CLOSE reason as text, with its code: `destination refused the connection (0x44)`. */
export function closeReasonText(reason: number): string {
  return `${REASON_TEXT[reason] ?? 'unknown reason'} (0x${reason.toString(16).padStart(2, '0')})`;
}

/** A malformed packet, or a stream or connection closed by the peer with `reason`. */
export class WispError extends Error {
  override readonly name = 'WispError';
  /** The CLOSE reason received or to send. */
  readonly reason: number;
  constructor(message: string, reason: number = CLOSE_REASON.unspecified) {
    super(message);
    this.reason = reason;
  }
}

/** One decoded packet; `payload` is a view into the message. */
export interface WispPacket {
  readonly type: number;
  readonly streamId: number;
  readonly payload: Uint8Array;
}

/** An INFO extension entry. */
export interface WispExtension {
  readonly id: number;
  readonly data: Uint8Array;
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** `type:u8 stream_id:u32le payload`. */
export function encodePacket(type: number, streamId: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(5 + payload.length);
  const v = new DataView(out.buffer);
  v.setUint8(0, type);
  v.setUint32(1, streamId, true);
  out.set(payload, 5);
  return out;
}

/** Decodes one WebSocket message as a packet. */
export function decodePacket(message: Uint8Array): WispPacket {
  if (message.length < 5) throw new WispError(`Wisp: a ${message.length}-byte message is shorter than a packet header (5 bytes)`);
  const v = new DataView(message.buffer, message.byteOffset, message.byteLength);
  return { type: v.getUint8(0), streamId: v.getUint32(1, true), payload: message.subarray(5) };
}

export function encodeConnect(streamId: number, streamType: number, host: string, port: number): Uint8Array {
  const name = utf8.encode(host);
  const p = new Uint8Array(3 + name.length);
  const v = new DataView(p.buffer);
  v.setUint8(0, streamType);
  v.setUint16(1, port, true);
  p.set(name, 3);
  return encodePacket(PACKET.CONNECT, streamId, p);
}

export function decodeConnect(payload: Uint8Array): { streamType: number; port: number; host: string } {
  if (payload.length < 4) throw new WispError(`Wisp: CONNECT payload of ${payload.length} bytes (at least 4)`, CLOSE_REASON.invalidInfo);
  const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let host: string;
  try {
    host = utf8Strict.decode(payload.subarray(3));
  } catch {
    throw new WispError('Wisp: CONNECT hostname is not UTF-8', CLOSE_REASON.invalidInfo);
  }
  return { streamType: v.getUint8(0), port: v.getUint16(1, true), host };
}

export function encodeContinue(streamId: number, remaining: number): Uint8Array {
  const p = new Uint8Array(4);
  new DataView(p.buffer).setUint32(0, remaining, true);
  return encodePacket(PACKET.CONTINUE, streamId, p);
}

export function decodeContinue(payload: Uint8Array): number {
  if (payload.length !== 4) throw new WispError(`Wisp: CONTINUE payload of ${payload.length} bytes (exactly 4)`);
  return new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, true);
}

export function encodeClose(streamId: number, reason: number): Uint8Array {
  return encodePacket(PACKET.CLOSE, streamId, Uint8Array.of(reason));
}

export function decodeClose(payload: Uint8Array): number {
  if (payload.length !== 1) throw new WispError(`Wisp: CLOSE payload of ${payload.length} bytes (exactly 1)`);
  return payload[0] as number;
}

/** INFO on stream 0 (v2 "INFO"): version and extension entries. */
export function encodeInfo(major: number, minor: number, extensions: readonly WispExtension[]): Uint8Array {
  const size = extensions.reduce((n, e) => n + 5 + e.data.length, 2);
  const p = new Uint8Array(size);
  const v = new DataView(p.buffer);
  v.setUint8(0, major);
  v.setUint8(1, minor);
  let at = 2;
  for (const e of extensions) {
    v.setUint8(at, e.id);
    v.setUint32(at + 1, e.data.length, true);
    p.set(e.data, at + 5);
    at += 5 + e.data.length;
  }
  return encodePacket(PACKET.INFO, 0, p);
}

export function decodeInfo(payload: Uint8Array): { major: number; minor: number; extensions: WispExtension[] } {
  if (payload.length < 2) throw new WispError(`Wisp: INFO payload of ${payload.length} bytes (at least 2)`);
  const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const extensions: WispExtension[] = [];
  for (let at = 2; at < payload.length; ) {
    if (at + 5 > payload.length) throw new WispError('Wisp: INFO extension header runs past the end');
    const len = v.getUint32(at + 1, true);
    if (at + 5 + len > payload.length) throw new WispError(`Wisp: INFO extension 0x${(payload[at] as number).toString(16)} of ${len} bytes runs past the end`);
    extensions.push({ id: payload[at] as number, data: payload.subarray(at + 5, at + 5 + len) });
    at += 5 + len;
  }
  return { major: payload[0] as number, minor: payload[1] as number, extensions };
}
