// The parts of @mercuryworkshop/wisp-js's server (a devDependency without
// type declarations) that test/transport/wisp.node.test.ts uses.
declare module '@mercuryworkshop/wisp-js/server' {
  import type { IncomingMessage } from 'node:http';
  import type { Duplex } from 'node:stream';
  export const server: {
    options: { allow_loopback_ips: boolean; allow_private_ips: boolean; wisp_version: 1 | 2 };
    routeRequest(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  };
  export const logging: { NONE: number; set_level(level: number): void };
}
