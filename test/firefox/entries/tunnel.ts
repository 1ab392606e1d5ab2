// Firefox page module: for each target the harness names, a TLS 1.3
// handshake and an HTTP GET from this page through the WebSocket tunnel
// (connectWebSocket), the handshake messages traced; results POSTed back.
import { connectWebSocket } from '../../../src/transport/websocket.js';

interface Target {
  readonly name: string;
  readonly tunnelUrl: string;
  readonly ca: string;
  readonly serverName: string;
}

async function readAll(readable: ReadableStream<Uint8Array>): Promise<string> {
  const reader = readable.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
  }
}

async function visit(t: Target): Promise<object> {
  const messages: string[] = [];
  try {
    const socket = await connectWebSocket(t.tunnelUrl, {
      serverName: t.serverName,
      ca: t.ca,
      onTrace: (e) => {
        if (e.kind === 'handshake') messages.push(`${e.direction} ${e.name}`);
      },
    });
    const info = await socket.opened;
    const writer = socket.writable.getWriter();
    const response = readAll(socket.readable);
    await writer.write(new TextEncoder().encode(`GET / HTTP/1.0\r\nHost: ${t.serverName}\r\n\r\n`));
    const text = await response;
    await writer.close().catch(() => undefined);
    await socket.closed.catch(() => undefined);
    return { name: t.name, ok: true, cipherSuite: info.cipherSuite, group: info.group, authorized: info.authorized, messages, response: text.slice(0, 65536) };
  } catch (e) {
    return { name: t.name, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), messages };
  }
}

const targets = (await (await fetch('/targets')).json()) as Target[];
const results = [];
for (const t of targets) results.push(await visit(t));
await fetch('/result', { method: 'POST', body: JSON.stringify({ userAgent: navigator.userAgent, results }) });
