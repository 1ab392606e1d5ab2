/**
 * A Node TCP socket as WHATWG streams (`{ readable, writable }`), for
 * {@link startTls} and {@link request} in Node. Node only (node:net).
 *
 * Back-pressure: the socket is paused while `readable` is full and writes
 * wait for `drain`. Closing `writable` ends our side (FIN); cancelling
 * `readable` destroys the socket.
 * @module
 */
import { connect, type Socket } from 'node:net';
import type { TlsTransport } from './streams.js';

/** Bytes `readable` buffers before the socket is paused. */
const READABLE_HWM = 65536;

/** Wraps a connected (or connecting) socket; create it with `allowHalfOpen: true` so close_notify can be answered after the peer's FIN. */
export function socketStreams(socket: Socket): TlsTransport {
  let ended = false;
  const readable = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        socket.on('data', (d: Buffer) => {
          if (ended) return;
          c.enqueue(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
          if ((c.desiredSize ?? 1) <= 0) socket.pause();
        });
        socket.on('end', () => {
          if (ended) return;
          ended = true;
          c.close();
        });
        socket.on('error', (e) => {
          if (ended) return;
          ended = true;
          c.error(e);
        });
        socket.on('close', () => {
          if (ended) return;
          ended = true;
          c.error(Object.assign(new Error('the socket closed'), { code: 'ECONNRESET' }));
        });
      },
      pull: () => {
        socket.resume();
      },
      cancel: () => {
        ended = true;
        socket.destroy();
      },
    },
    { highWaterMark: READABLE_HWM, size: (c) => c.byteLength },
  );
  // One promise for every pending write: rejects when the socket fails or closes.
  const broken = new Promise<never>((_, reject) => {
    socket.once('error', reject);
    socket.once('close', () => reject(Object.assign(new Error('the socket closed'), { code: 'EPIPE' })));
  });
  broken.catch(() => undefined);
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) => {
      if (socket.destroyed || socket.writableEnded) return Promise.reject(Object.assign(new Error('the socket is closed'), { code: 'EPIPE' }));
      if (socket.write(chunk)) return undefined;
      return Promise.race([new Promise<void>((resolve) => socket.once('drain', resolve)), broken]);
    },
    close: () => {
      if (socket.destroyed) return undefined;
      return Promise.race([new Promise<void>((resolve) => socket.end(resolve)), broken]);
    },
    abort: () => {
      socket.destroy();
    },
  });
  // Errors are delivered through the streams; without a listener they would be thrown.
  socket.on('error', () => undefined);
  return { readable, writable };
}

/**
 * Opens a TCP connection and resolves with it as streams once connected.
 * @example const tls = startTls(await connectTcpStreams('example.com', 443), { serverName: 'example.com', ca });
 */
export function connectTcpStreams(host: string, port: number): Promise<TlsTransport> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, allowHalfOpen: true });
    socket.setNoDelay(true);
    const onError = (e: Error): void => {
      socket.destroy();
      reject(e);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(socketStreams(socket));
    });
  });
}
