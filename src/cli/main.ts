/**
 * The `wasmtls` command line (bin/wasmtls.mjs runs {@link main}):
 * `wasmtls connect HOST:PORT` and `wasmtls serve`. Node only.
 * @module
 */
import { type ConnectArgs, GROUP_NAMES, parseConnectArgs, parseServeArgs, SUITE_NAMES, UsageError } from './args.js';
import { type Io, runConnect } from './connect.js';
import { parseDemoArgs, runDemo } from './demo.js';
import { runDemoWeb } from './demo-web.js';
import { runServe } from './serve.js';
import { parseTunnelArgs, runTunnel } from './tunnel.js';
import { parseGetArgs, runGet } from './get.js';

const USAGE = `usage:
  wasmtls connect HOST:PORT [--servername NAME] [--ca FILE] [--insecure]
                            [--alpn LIST] [--ciphers LIST] [--groups LIST]
      TLS 1.3 or 1.2 client: after the handshake, stdin goes to the server and the
      server's data to stdout (like openssl s_client -quiet). Exits 0 after
      the server's close_notify or the end of stdin, 1 with
      "error: <alert>: <reason>" on stderr otherwise. Without --ca, Node's
      bundled Mozilla roots are trusted; --servername defaults to HOST.

  wasmtls serve [--host 127.0.0.1] [--port 8443] [--cert FILE --key FILE]
                [--alpn LIST] [--ciphers LIST] [--groups LIST] [--echo | --www]
      TLS 1.3 and 1.2 server. --cert may hold a full chain (leaf first); all of it
      is sent. Without --cert, a fresh CA and a certificate for localhost,
      127.0.0.1 and ::1 are made and the CA is written to a file named on
      stdout. --echo (the default) echoes; --www answers an HTTP/1.1 GET with
      a page naming the negotiated parameters. --port 0 lets the OS choose.
      Prints "listening on HOST:PORT" when ready; stops on SIGINT/SIGTERM.

  wasmtls get URL [--ca FILE] [--insecure] [--trace]
      One HTTPS GET (HTTP/1.1, Connection: close): the body to stdout, the
      status line and header fields to stderr. Exit status 0 when a
      response arrived, 1 otherwise. --trace prints each handshake message.

  SSLKEYLOGFILE=FILE: connect, serve and get append the session secrets to
      FILE in the NSS key log format (for Wireshark).

  wasmtls tunnel --port PORT --allow HOST:PORT[,...] [--host 127.0.0.1]
                 [--origin ORIGIN[,...]] [--max-message BYTES]
      WebSocket-to-TCP relay for browsers using wasmtls/websocket: a client
      names its target as ws://HOST:PORT/?target=TARGET and the tunnel
      connects only to targets on --allow (others are refused and logged).
      Only pages from --origin (e.g. https://app.example) may connect; by
      default only pages served from 127.0.0.1, localhost or [::1] (any
      port). Other origins get HTTP 403 and are logged; clients sending no
      Origin header (not browsers) are accepted.
      TLS runs end to end through it; it sees only ciphertext. Prints
      "listening on ws://HOST:PORT/" when ready; stops on SIGINT/SIGTERM.

  wasmtls demo [--side client|server] [--bytes N] [--no-color]
      How HTTPS works, step by step: a server with a fresh CA and a client in
      this process, on 127.0.0.1 only, do a TLS 1.3 handshake and an HTTP GET;
      every message is printed with its fields and what it does (RFC 8446),
      grouped by the four steps of the usual story, then a summary.
  wasmtls demo --web [--port 0]
      The same in the browser: serves a page on 127.0.0.1 that runs the client
      in the page, through a WebSocket tunnel to a local wasmtls server, and
      draws the handshake as a sequence diagram. Prints its URL.

  Lists are comma-separated, in order of preference:
      --ciphers ${SUITE_NAMES.join(',')}
      --groups  ${GROUP_NAMES.join(',')}   (the client sends a key share for the first
                only; a server wanting another asks with HelloRetryRequest)
      --alpn    h2,http/1.1
`;

function processIo(): Io {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

/** A promise that resolves on the first SIGINT or SIGTERM. */
function signalled(): Promise<void> {
  return new Promise((resolve) => {
    const on = () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve();
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/**
 * Runs one command; resolves with the exit status (0 success, 1 failure, 2
 * a usage error).
 * @example process.exit(await main(process.argv.slice(2)));
 */
export async function main(argv: readonly string[], io: Io = processIo(), stop: () => Promise<void> = signalled): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'connect': {
        const args: ConnectArgs = parseConnectArgs(rest);
        if (args.help) break;
        return await runConnect(args, io);
      }
      case 'serve': {
        const args = parseServeArgs(rest);
        if (args.help) break;
        return await runServe(args, io, stop());
      }
      case 'get': {
        const args = parseGetArgs(rest);
        if (args.help) break;
        return await runGet(args, io);
      }
      case 'tunnel': {
        const args = parseTunnelArgs(rest);
        if (args.help) break;
        return await runTunnel(args, io, stop());
      }
      case 'demo': {
        const args = parseDemoArgs(rest);
        if (args.help) break;
        if (args.web) return await runDemoWeb(args, io, stop());
        return await runDemo(args, io);
      }
      case undefined:
        throw new UsageError('a command is required');
      case 'help':
      case '--help':
      case '-h':
        break;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  io.stdout.write(USAGE);
  return 0;
}
