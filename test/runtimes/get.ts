// The client every runtime test runs (test/runtimes/runtimes.node.test.ts):
// one HTTPS GET with wasmtls's request() over the runtime's own TCP stream,
// answered as "VERSION SUITE\nBODY".
import { request, type TlsTransport } from '../../src/index.js';

export async function get(port: number, ca: string, open: (host: string, port: number) => Promise<TlsTransport>): Promise<string> {
  const res = await request(`https://localhost:${port}/`, { ca, transport: (_host, p) => open('127.0.0.1', p) });
  return `${res.tls.version} ${res.tls.cipherSuite} ${res.status}\n${new TextDecoder().decode(res.body)}`;
}
