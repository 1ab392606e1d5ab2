// `wasmtls tunnel`: a WebSocket-to-TCP relay for browsers using
// wasmtls/websocket, limited to an allow list of targets (src/tunnel/).
// Prints `listening on ws://HOST:PORT/` once ready; logs connections and
// refusals on stderr; stops on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_MESSAGE_SIZE, startTunnel, type Tunnel } from '../tunnel/server.js';
import { parseTarget } from '../transport/websocket.js';
import { parsePort, UsageError } from './args.js';
import type { Io } from './connect.js';
import { describeError } from './describe.js';

/** Options of `wasmtls tunnel`. */
export interface TunnelArgs {
  host: string;
  port: number;
  allow: string[];
  /** `--origin`: web origins whose pages may connect; undefined for the loopback-only default. */
  origins: string[] | undefined;
  maxMessageSize: number;
  /** `--wisp`: serve Wisp on paths ending with `/`. */
  wisp?: boolean;
  help: boolean;
}

/** Parses the arguments after `tunnel`. */
export function parseTunnelArgs(argv: readonly string[]): TunnelArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string' },
        allow: { type: 'string', multiple: true },
        origin: { type: 'string', multiple: true },
        'max-message': { type: 'string' },
        wisp: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  if (v.help === true) return { host: '', port: 0, allow: [], origins: undefined, maxMessageSize: 0, help: true };
  if (v.port === undefined) throw new UsageError('tunnel: --port is required');
  const allow = (v.allow ?? []).flatMap((a) => a.split(',')).map((s) => s.trim());
  if (allow.length === 0 || allow.some((a) => a === '')) throw new UsageError('tunnel: --allow HOST:PORT[,...] is required (the tunnel is never an open proxy)');
  for (const a of allow) {
    try {
      parseTarget(a);
    } catch (e) {
      throw new UsageError(`--allow: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  let origins: string[] | undefined;
  if (v.origin !== undefined) {
    origins = v.origin.flatMap((o) => o.split(',')).map((s) => s.trim());
    for (const o of origins) {
      if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/?$/i.test(o)) throw new UsageError(`--origin: "${o}" is not an origin such as https://app.example or http://127.0.0.1:8000`);
    }
  }
  let maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  if (v['max-message'] !== undefined) {
    if (!/^\d{1,9}$/.test(v['max-message']) || Number(v['max-message']) < 1024) throw new UsageError(`--max-message: "${v['max-message']}" is not a byte count of at least 1024`);
    maxMessageSize = Number(v['max-message']);
  }
  return { host: v.host as string, port: parsePort(v.port, '--port', true), allow, origins, maxMessageSize, wisp: v.wisp === true, help: false };
}

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
