// The epoxy-tls 2.1.19-1 side of bench/browser-wisp.ts, bundled for the
// page: an EpoxyClient on the same Wisp relay (v2), connect_tls for new
// connections, fetch (its own connection pool) for reused requests.
import * as epoxy from '@mercuryworkshop/epoxy-tls/epoxy-bundled';
import type { BenchConfig, BenchLib } from './protocol.js';

const initEpoxy = (epoxy as unknown as { default: () => Promise<void> }).default;
let client: epoxy.EpoxyClient;
let config: BenchConfig;

const lib: BenchLib = {
  name: 'epoxy-tls',
  async init(c) {
    config = c;
    await initEpoxy();
    const options = new epoxy.EpoxyClientOptions();
    options.wisp_v2 = true;
    options.udp_extension_required = false;
    options.pem_files = [c.ca];
    client = new epoxy.EpoxyClient(c.relay, options);
  },
  async newConnection() {
    const io = await client.connect_tls(`tls://localhost:${config.port}`);
    const w = io.write.getWriter();
    await w.write(new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: localhost:${config.port}\r\nConnection: close\r\n\r\n`));
    let n = 0;
    for await (const c of io.read as unknown as AsyncIterable<Uint8Array>) n += c.length;
    return n;
  },
  async request(path) {
    const res = await client.fetch(`https://localhost:${config.port}${path}`, {});
    return (await res.arrayBuffer()).byteLength;
  },
};
(globalThis as { benchLib?: BenchLib }).benchLib = lib;
