// workerd: a Worker using connect() from cloudflare:sockets and wasmtls
// through its `workerd` entry (src/workerd.ts: the core imported as a
// precompiled module). GET / answers with the GET through wasmtls; GET
// /compile shows that this runtime refuses to compile WASM from bytes.
import { connect } from 'cloudflare:sockets';
import { get } from './get.js';
import '../../src/workerd.js';

interface Env {
  readonly PORT: string;
  readonly CA: string;
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    if (new URL(req.url).pathname === '/compile') {
      try {
        new WebAssembly.Module(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
        return new Response('compiled');
      } catch (e) {
        return new Response(String(e));
      }
    }
    try {
      return new Response(await get(Number(env.PORT), env.CA, async (hostname, port) => {
        const s = connect({ hostname, port });
        return { readable: s.readable, writable: s.writable };
      }));
    } catch (e) {
      return new Response(`error: ${e instanceof Error ? e.message : String(e)}`, { status: 500 });
    }
  },
};
