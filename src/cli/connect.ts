// `wasmtls connect HOST:PORT`: a TLS 1.3 client on stdin and stdout, like
// `openssl s_client -quiet`. After the handshake, stdin goes to the peer and
// the peer's data to stdout. Exit status 0 after the peer's close_notify or
// the end of stdin (close_notify sent, then the peer's close or the end of
// the socket awaited); 1 with `error: <alert>: <reason>` on stderr otherwise.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Readable, Writable } from 'node:stream';
import { TlsError } from '../errors.js';
import { connectTcp, type TcpConnectOptions, type TcpTlsConnection } from '../node/index.js';
import { type Certificate, parseCertificatesPem } from '../x509/certificate.js';
import type { ConnectArgs } from './args.js';
import { describeError, describeHandshake } from './describe.js';
import { keylogFromEnv } from './keylog.js';

/** The streams a command reads and writes (process.stdin/stdout/stderr, or test doubles). */
export interface Io {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Node's bundled Mozilla roots (`tls.rootCertificates`), parsed once; used when no --ca is given. */
export function systemRoots(): Certificate[] {
  return rootCertificates.flatMap((pem) => {
    try {
      return parseCertificatesPem(pem);
    } catch {
      return [];
    }
  });
}

function isTruncation(e: unknown): boolean {
  return e instanceof TlsError && e.reason === 'truncated';
}

/** Runs `wasmtls connect`; resolves with the exit status. */
export async function runConnect(args: ConnectArgs, io: Io): Promise<number> {
  let options: TcpConnectOptions;
  try {
    options = {
      host: args.host,
      port: args.port,
      serverName: args.servername ?? args.host,
      ca: args.ca === undefined ? systemRoots() : readFileSync(args.ca, 'utf8'),
      rejectUnauthorized: !args.insecure,
      ...(args.alpn && { alpn: args.alpn }),
      ...(args.ciphers && { cipherSuites: args.ciphers }),
      ...(args.groups && { groups: args.groups }),
      ...keylogFromEnv(),
    };
  } catch (e) {
    io.stderr.write(`error: ${describeError(e)}\n`);
    return 1;
  }

  let conn: TcpTlsConnection;
  try {
    conn = await connectTcp(options);
  } catch (e) {
    io.stderr.write(`error: ${describeError(e)}\n`);
    return 1;
  }
  const info = conn.tls.handshakeInfo;
  if (info !== undefined) {
    io.stderr.write(`${describeHandshake(info)}\n`);
    if (!info.authorized) io.stderr.write(`warning: --insecure: the certificate was not verified (${describeError(info.authorizationError)})\n`);
  }

  const { stdin, stdout } = io;
  let stdinEnded = false;
  const onStdin = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    if (!conn.write(bytes)) stdin.pause();
  };
  const onStdinEnd = (): void => {
    stdinEnded = true;
    conn.end();
  };
  conn.ondrain = () => stdin.resume();
  // stdout closed under us (`wasmtls connect ... | head -1`): stop cleanly.
  stdout.on('error', () => {
    stopStdin();
    if (!conn.tls.writeClosed) conn.end();
    conn.ondata = () => undefined;
    conn.resume();
  });
  conn.ondata = (data) => {
    if (!stdout.write(data)) {
      conn.pause();
      stdout.once('drain', () => conn.resume());
    }
  };
  // The peer's close_notify: the transport answers with ours; stdin is no longer read.
  conn.onend = () => stopStdin();
  function stopStdin(): void {
    stdin.off('data', onStdin);
    stdin.off('end', onStdinEnd);
    stdin.pause();
  }
  stdin.on('data', onStdin);
  stdin.on('end', onStdinEnd);
  stdin.resume();

  let status = 0;
  try {
    await conn.closed;
  } catch (e) {
    // After our close_notify, a peer may close the socket without its own (RFC 8446 §6.1 allows not waiting).
    if (!(stdinEnded && isTruncation(e))) {
      io.stderr.write(`error: ${describeError(e)}\n`);
      status = 1;
    }
  }
  stopStdin();
  if (stdout.writable) await new Promise<void>((resolve) => stdout.write('', () => resolve()));
  return status;
}
