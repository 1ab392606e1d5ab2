/**
 * The Wisp server mode of `wasmtls tunnel` (MercuryWorkshop's Wisp v1 and
 * v2; packets in src/transport/wisp-packets.ts): one WebSocket carries many
 * TCP streams, each to a target on the tunnel's allow list. Used by
 * src/tunnel/server.ts for upgrades whose path ends with `/` when Wisp is on.
 *
 * - Version: v2 when the upgrade carried `Sec-WebSocket-Protocol` (v2
 *   "Establishing a Websocket Connection"): INFO out (extension 0x05, stream
 *   open confirmation), the client's INFO in, then CONTINUE on stream 0;
 *   else v1: CONTINUE on stream 0 at once.
 * - CONNECT: TCP only (UDP is refused with 0x41); a target off the allow
 *   list gets CLOSE 0x48, too many streams 0x49, a failed connection 0x42,
 *   0x43, 0x44 or 0x03 by its error. Each refusal is logged with its reason.
 * - Flow control: each stream's client may send `bufferPackets` DATA packets
 *   per CONTINUE; a CONTINUE with the full window goes out once half of it
 *   has been written through to TCP (and, when TCP is congested, only after
 *   it drains). A stream whose unsent TCP bytes exceed `maxStreamBuffer`
 *   (a client ignoring the window) is closed with 0x49.
 *   Target-to-client data pauses every TCP socket of the WebSocket while the
 *   WebSocket buffers more than 1 MiB.
 * @module
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { type RawData, WebSocket } from 'ws';
import {
  CLOSE_REASON,
  closeReasonText,
  decodeClose,
  decodeConnect,
  decodeInfo,
  decodePacket,
  encodeClose,
  encodeContinue,
  encodeInfo,
  encodePacket,
  EXTENSION,
  PACKET,
  STREAM_TYPE,
  WispError,
} from '../transport/wisp-packets.js';
import { formatTarget } from '../transport/websocket.js';

/** Limits and policy of one Wisp WebSocket, from the tunnel's options. */
export interface WispSessionOptions {
  /** Whether `HOST:PORT` (normalized) may be connected to. */
  readonly allowed: (target: string) => boolean;
  /** Normalizes `HOST:PORT` as the allow list is written. */
  readonly normalize: (target: string) => string;
  /** Takes one connection slot of the tunnel; false when the tunnel is full. */
  readonly acquire: () => boolean;
  /** Returns a slot. */
  readonly release: () => void;
  /** Streams one WebSocket may have open at once. */
  readonly maxStreams: number;
  /** The DATA packets a stream may send per CONTINUE. */
  readonly bufferPackets: number;
  /** Bytes not yet written to a stream's TCP socket before the stream is closed. */
  readonly maxStreamBuffer: number;
  readonly connectTimeout: number;
  readonly log: (line: string) => void;
}

/** Bytes buffered on the WebSocket before the TCP sides are paused. */
const WS_HIGH_WATER = 1 << 20;
/** Milliseconds a v2 client has to send its INFO. */
const INFO_TIMEOUT = 10_000;

interface ServerStream {
  readonly id: number;
  readonly target: string;
  readonly tcp: Socket;
  received: number;
  closed: boolean;
}

function reasonForError(code: string | undefined): number {
  switch (code) {
    case 'ECONNREFUSED':
      return CLOSE_REASON.refused;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return CLOSE_REASON.unreachable;
    case 'ETIMEDOUT':
      return CLOSE_REASON.connectTimeout;
    default:
      return CLOSE_REASON.networkError;
  }
}

/**
 * Serves Wisp on an accepted WebSocket until it closes; resolves then.
 * Returns a function that ends the session at once (tunnel shutdown).
 */
export function serveWisp(ws: WebSocket, req: IncomingMessage, who: string, o: WispSessionOptions): () => void {
  const v2 = req.headers['sec-websocket-protocol'] !== undefined;
  const streams = new Map<number, ServerStream>();
  let ready = false;
  let paused = false;
  const log = (line: string): void => o.log(`${who}: wisp: ${line}`);

  const send = (packet: Uint8Array): void => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(packet, { binary: true });
    if (!paused && ws.bufferedAmount > WS_HIGH_WATER) {
      paused = true;
      for (const s of streams.values()) s.tcp.pause();
      const check = (): void => {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > WS_HIGH_WATER) return void setTimeout(check, 5);
        paused = false;
        for (const s of streams.values()) s.tcp.resume();
      };
      setTimeout(check, 5);
    }
  };

  const closeStream = (s: ServerStream, reason: number, why: string, fromClient: boolean): void => {
    if (s.closed) return;
    s.closed = true;
    streams.delete(s.id);
    o.release();
    log(`stream ${s.id} to ${s.target} closed: ${why}`);
    if (!fromClient) send(encodeClose(s.id, reason));
    if (!s.tcp.destroyed) {
      if (fromClient && !s.tcp.connecting) {
        // Data the client sent before CLOSE still goes out; a target that never closes is not kept.
        s.tcp.end();
        const linger = setTimeout(() => s.tcp.destroy(), 2_000);
        s.tcp.once('close', () => clearTimeout(linger));
      } else s.tcp.destroy();
    }
  };

  const refuse = (id: number, reason: number, why: string): void => {
    log(`stream ${id} refused: ${why} (${closeReasonText(reason)})`);
    send(encodeClose(id, reason));
  };

  const connect = (id: number, payload: Uint8Array): void => {
    if (streams.has(id)) return refuse(id, CLOSE_REASON.invalidInfo, `stream id ${id} is already open`);
    const { streamType, port, host } = decodeConnect(payload);
    if (streamType !== STREAM_TYPE.TCP) return refuse(id, CLOSE_REASON.invalidInfo, `stream type 0x${streamType.toString(16)} (only TCP is relayed)`);
    let target: string;
    try {
      target = o.normalize(formatTarget(host, port));
    } catch {
      return refuse(id, CLOSE_REASON.invalidInfo, `malformed target ${JSON.stringify(host.slice(0, 100))}:${port}`);
    }
    if (!o.allowed(target)) return refuse(id, CLOSE_REASON.blocked, `target ${target} is not allowed`);
    if (streams.size >= o.maxStreams) return refuse(id, CLOSE_REASON.throttled, `too many streams on this connection (${o.maxStreams})`);
    if (!o.acquire()) return refuse(id, CLOSE_REASON.throttled, 'too many connections on the tunnel');
    const tcp = netConnect({ host: host.startsWith('[') ? host.slice(1, -1) : host, port, allowHalfOpen: true });
    const s: ServerStream = { id, target, tcp, received: 0, closed: false };
    streams.set(id, s);
    tcp.setNoDelay(true);
    tcp.setTimeout(o.connectTimeout, () => {
      if (tcp.connecting) tcp.destroy(Object.assign(new Error(`connecting timed out after ${o.connectTimeout} ms`), { code: 'ETIMEDOUT' }));
    });
    tcp.on('connect', () => {
      tcp.setTimeout(0);
      log(`stream ${id} relaying to ${target}`);
      if (paused) tcp.pause();
      // v2 stream open confirmation (extension 0x05): a CONTINUE once connected.
      if (v2) send(encodeContinue(id, o.bufferPackets));
    });
    tcp.on('error', (e: Error & { code?: string }) => closeStream(s, reasonForError(e.code), `${target}: ${e.code ?? 'error'}: ${e.message}`, false));
    tcp.on('data', (data: Buffer) => {
      if (!s.closed) send(encodePacket(PACKET.DATA, id, data));
    });
    tcp.on('end', () => closeStream(s, CLOSE_REASON.voluntary, 'target closed', false));
    tcp.on('close', () => closeStream(s, CLOSE_REASON.voluntary, 'target closed', false));
    tcp.on('drain', () => {
      if (s.closed || s.received === 0) return;
      s.received = 0;
      send(encodeContinue(id, o.bufferPackets));
    });
  };

  const data = (s: ServerStream, payload: Uint8Array): void => {
    s.received++;
    const flushed = s.tcp.write(payload);
    if (s.tcp.writableLength > o.maxStreamBuffer) {
      return closeStream(s, CLOSE_REASON.throttled, `more than ${o.maxStreamBuffer} bytes buffered for the target (the client ignores CONTINUE)`, false);
    }
    // "The server should regularly send CONTINUE packets before this point."
    if (flushed && !s.tcp.connecting && s.received * 2 >= o.bufferPackets) {
      s.received = 0;
      send(encodeContinue(s.id, o.bufferPackets));
    }
  };

  const handle = (bytes: Uint8Array): void => {
    const p = decodePacket(bytes);
    if (!ready) {
      // v2: the client's INFO (its extensions; we need none of them), then our CONTINUE.
      if (p.type === PACKET.CLOSE && p.streamId === 0) throw new WispError(`client refused the handshake: ${closeReasonText(decodeClose(p.payload))}`);
      if (p.type !== PACKET.INFO || p.streamId !== 0) throw new WispError(`packet type 0x${p.type.toString(16)} before the client's INFO`, CLOSE_REASON.incompatibleExtensions);
      const info = decodeInfo(p.payload);
      if (info.major !== 2) throw new WispError(`client INFO version ${info.major}.${info.minor}`, CLOSE_REASON.incompatibleExtensions);
      ready = true;
      clearTimeout(infoTimer);
      send(encodeContinue(0, o.bufferPackets));
      return;
    }
    if (p.type === PACKET.CONNECT) return connect(p.streamId, p.payload);
    if (p.streamId === 0) {
      if (p.type === PACKET.CLOSE) throw new WispError(`client closed the connection: ${closeReasonText(decodeClose(p.payload))}`, CLOSE_REASON.voluntary);
      return;
    }
    const s = streams.get(p.streamId);
    // Packets for a stream already closed here may be in flight.
    if (s === undefined) return;
    if (p.type === PACKET.DATA) return data(s, p.payload);
    if (p.type === PACKET.CLOSE) return closeStream(s, CLOSE_REASON.voluntary, `client closed it: ${closeReasonText(decodeClose(p.payload))}`, true);
  };

  const end = (why: string): void => {
    clearTimeout(infoTimer);
    for (const s of [...streams.values()]) closeStream(s, CLOSE_REASON.networkError, why, true);
  };

  ws.on('message', (msg: RawData, isBinary: boolean) => {
    if (!isBinary) {
      log('text message: closing (Wisp is binary only)');
      ws.close(1003, 'binary messages only');
      return;
    }
    const bytes = Buffer.isBuffer(msg) ? msg : Array.isArray(msg) ? Buffer.concat(msg) : Buffer.from(msg);
    try {
      handle(bytes);
    } catch (e) {
      const reason = e instanceof WispError ? e.reason : CLOSE_REASON.unspecified;
      log(`closing the connection: ${e instanceof Error ? e.message : String(e)}`);
      send(encodeClose(0, reason));
      ws.close(reason === CLOSE_REASON.voluntary ? 1000 : 1002, 'Wisp protocol error');
    }
  });
  ws.on('close', (code) => {
    log(`closed (${code}), ${streams.size} stream(s) open`);
    end('the WebSocket closed');
  });

  let infoTimer: ReturnType<typeof setTimeout> | undefined;
  if (v2) {
    send(encodeInfo(2, 0, [{ id: EXTENSION.STREAM_CONFIRMATION, data: new Uint8Array(0) }]));
    infoTimer = setTimeout(() => {
      log(`no INFO from the client within ${INFO_TIMEOUT} ms`);
      send(encodeClose(0, CLOSE_REASON.incompatibleExtensions));
      ws.close(1002, 'no Wisp INFO');
    }, INFO_TIMEOUT);
  } else {
    ready = true;
    send(encodeContinue(0, o.bufferPackets));
  }
  log(`session (Wisp v${v2 ? 2 : 1})`);
  return () => {
    end('the tunnel is closing');
    ws.terminate();
  };
}
