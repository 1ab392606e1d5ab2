// Deno: Deno.connect's WHATWG streams into wasmtls (bundled by the test).
import { get } from './get.js';

declare const Deno: {
  connect(o: { hostname: string; port: number }): Promise<{ readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> }>;
};
declare const __PORT__: number;
declare const __CA__: string;

console.log(await get(__PORT__, __CA__, async (hostname, port) => {
  const c = await Deno.connect({ hostname, port });
  return { readable: c.readable, writable: c.writable };
}));
