// Firefox page module: through the Wisp tunnel (wisp(), one WebSocket), two
// GETs with request() to a wasmtls server whose chain ends at a test root
// given beside Mozilla's (`ca: [...roots, testRoot]`), the second on the
// pool's kept-alive connection; results POSTed back.
import { ConnectionPool, request } from '../../../src/index.js';
import roots from '../../../src/roots/index.js';
import { wisp } from '../../../src/transport/wisp.js';

interface Config {
  readonly relay: string;
  readonly url: string;
  readonly ca: string;
}

const c = (await (await fetch('/config')).json()) as Config;
let out: object;
try {
  const relay = await wisp(c.relay);
  const pool = new ConnectionPool();
  const opts = { ca: [...roots, c.ca], transport: relay.transport, pool };
  const a = await request(c.url, opts);
  const b = await pool.request(c.url, opts);
  out = { ok: true, version: relay.version, roots: roots.length, status: [a.status, b.status], reused: ['reused' in a ? a.reused : undefined, b.reused], body: new TextDecoder().decode(b.body), tls: a.tls.version };
  await pool.close();
  relay.close();
} catch (e) {
  out = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
await fetch('/result', { method: 'POST', body: JSON.stringify({ userAgent: navigator.userAgent, ...out }) });
