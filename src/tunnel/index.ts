/**
 * `wasmtls/tunnel`: the WebSocket-to-TCP relay behind `wasmtls tunnel`, for
 * embedding in a Node server (Node only; the package's `"node"` export
 * condition). Browsers using `wasmtls/websocket` name a target in the URL
 * (`?target=HOST:PORT`); the tunnel relays only to targets on `allow` and
 * accepts upgrades only from the pages in `origins` (default: loopback
 * pages). TLS runs end to end through it: it sees only ciphertext.
 *
 * @example
 * import { startTunnel } from 'wasmtls/tunnel';
 * const tunnel = await startTunnel({ allow: ['127.0.0.1:8443'], port: 0 });
 * console.log(`ws://127.0.0.1:${tunnel.address.port}/?target=127.0.0.1:8443`);
 * await tunnel.close();
 * @module
 */
export { DEFAULT_MAX_MESSAGE_SIZE, startTunnel, type Tunnel, type TunnelOptions } from './server.js';
