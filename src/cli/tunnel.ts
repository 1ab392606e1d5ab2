// `wasmtls tunnel`: a WebSocket-to-TCP relay for browsers using
// wasmtls/websocket, limited to an allow list of targets (src/tunnel/).
// Prints `listening on ws://HOST:PORT/` once ready; logs connections and
// refusals on stderr; stops on SIGINT/SIGTERM.
import { startTunnel, type Tunnel } from '../tunnel/server.js';
import type { TunnelArgs } from './args.js';
import type { Io } from './connect.js';
import { describeError } from './describe.js';

/** Runs `wasmtls tunnel` until `stop` resolves; resolves with the exit status. */
export async function runTunnel(args: TunnelArgs, io: Io, stop: Promise<void>): Promise<number> {
  let tunnel: Tunnel;
  try {
    tunnel = await startTunnel({
      allow: args.allow,
      port: args.port,
      host: args.host,
      maxMessageSize: args.maxMessageSize,
      wisp: args.wisp === true,
      ...(args.origins === undefined ? {} : { origins: args.origins }),
      log: (line) => io.stderr.write(`${line}\n`),
    });
  } catch (e) {
    io.stderr.write(`error: ${describeError(e)}\n`);
    return 1;
  }
  const a = tunnel.address;
  io.stdout.write(`listening on ws://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/ (targets: ${args.allow.join(', ')}${args.wisp === true ? '; Wisp on paths ending with /' : ''})\n`);
  await stop;
  await tunnel.close();
  return 0;
}
