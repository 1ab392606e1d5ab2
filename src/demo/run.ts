// One run of the browser demo: a TLS 1.3 handshake and an HTTP/1.1 GET over
// a stream socket (a WebSocket tunnel in page.ts), each trace event drawn on
// the sequence diagram as it happens, then a summary of what was negotiated
// and how long each step took.

import type { HandshakeInfo } from '../handshake/common.js';
import { TRACE_STEPS, type TraceEvent, type TraceStep } from '../trace/event.js';
import { SequenceDiagram } from './diagram.js';

/** What the page learns from its server (/config.json). */
export interface DemoConfig {
  /** The tunnel's WebSocket URL. */
  readonly tunnelUrl: string;
  /** The CA certificate (PEM) the client trusts: made when the demo started. */
  readonly ca: string;
  /** The name the client checks in the server's certificate. */
  readonly serverName: string;
  /** Where the TLS server listens, for the diagram's header. */
  readonly server: string;
}

/** The stream socket shape (src/transport/streams.ts) the demo needs. */
export interface DemoSocket {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  readonly opened: Promise<HandshakeInfo>;
  readonly closed: Promise<void>;
}

/** Opens a socket with these engine options (trace included). */
export type DemoConnect = (options: { serverName: string; ca: string; alpn: string[]; onTrace: (e: TraceEvent) => void }) => DemoSocket | Promise<DemoSocket>;

/** What one run measured, also exposed to tests as `window.wasmtlsDemo`. */
export interface DemoRun {
  /** `from>to Name` for every handshake message, in order. */
  readonly messages: string[];
  /** Every event name, in order. */
  readonly events: string[];
  /** Milliseconds from connect() to the end of the handshake. */
  readonly handshakeMs: number;
  /** Milliseconds from the page's navigation start to the end of the handshake. */
  readonly sinceNavigationMs: number;
  readonly info: { cipherSuite: string; group: string; signatureScheme: string; alpn: string | undefined; authorized: boolean };
  /** The HTTP response. */
  readonly response: string;
  /** Milliseconds per step (time since the previous event, added to the event's step). */
  readonly perStep: Partial<Record<TraceStep, number>>;
}

function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
}

function row(name: string, value: string | Node): HTMLElement {
  return h('tr', {}, h('th', {}, name), h('td', {}, value));
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

function renderSummary(el: HTMLElement, run: DemoRun, info: HandshakeInfo, cold: boolean): void {
  const leaf = info.peerCertificates[0];
  const status = run.response.slice(0, Math.max(0, run.response.indexOf('\r\n')));
  const body = run.response.slice(run.response.indexOf('\r\n\r\n') + 4);
  const steps = h('div', { class: 'steps-time' });
  for (const s of [1, 2, 3, 4] as TraceStep[]) {
    steps.append(h('div', { class: `s${s}` }, h('b', {}, `${(run.perStep[s] ?? 0).toFixed(1)} ms`), `${s}. ${TRACE_STEPS[s]}`));
  }
  const table = h(
    'table',
    {},
    row('Protocol', `${info.version}, ${info.cipherSuite}`),
    row('Key exchange', `${info.group} (ephemeral; the shared secret never crossed the wire)`),
    row('Server signature', info.signatureScheme),
    row('ALPN', info.alpn ?? '(none)'),
    row('Certificate', leaf === undefined ? '(none)' : `${leaf.subject.text}, issued by ${leaf.issuer.text}`),
    row('Trusted', info.authorized ? 'yes: it chains to the CA this page was given and names ' + (info.serverName ?? '') : 'no'),
    row('Handshake', `${run.handshakeMs.toFixed(1)} ms from connect() to the server's Finished checked` + (cold ? `; ${run.sinceNavigationMs.toFixed(0)} ms from opening this page (cold: page, WASM core and WebSocket included)` : '')),
    row('HTTP', h('span', {}, status, h('pre', {}, body.trim()))),
  );
  const note = h('p', { class: 'fine' }, 'Time per step: the time since the previous event, added to the step of the event. Step 1 includes opening the WebSocket to the tunnel' + (cold ? ' and, on this first run, compiling the WASM core.' : '.'));
  el.replaceChildren(h('h2', {}, 'Summary'), table, steps, note);
  el.hidden = false;
}

/**
 * Runs the demo once: connects, draws every trace event, sends a GET,
 * reads the response to its end, and fills the summary.
 */
export async function runDemoOnce(config: DemoConfig, connect: DemoConnect, diagramEl: HTMLElement, summaryEl: HTMLElement, cold: boolean): Promise<DemoRun> {
  const diagram = new SequenceDiagram(diagramEl, { client: 'wasmtls in this page', server: `wasmtls at ${config.server}` });
  summaryEl.hidden = true;
  const messages: string[] = [];
  const events: string[] = [];
  const perStep: Partial<Record<TraceStep, number>> = {};
  const start = performance.now();
  let last = start;
  const onTrace = (e: TraceEvent) => {
    const now = performance.now();
    const dt = now - last;
    last = now;
    perStep[e.step] = (perStep[e.step] ?? 0) + dt;
    events.push(e.name);
    if (e.kind === 'handshake') messages.push(`${e.from === 'client' ? 'C>S' : 'S>C'} ${e.name}`);
    diagram.add(e, dt);
  };
  const socket = await connect({ serverName: config.serverName, ca: config.ca, alpn: ['http/1.1'], onTrace });
  const info = await socket.opened;
  const handshakeDone = performance.now();
  const writer = socket.writable.getWriter();
  const response = readAll(socket.readable);
  await writer.write(new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: ${config.serverName}\r\nConnection: close\r\n\r\n`));
  const text = await response;
  await writer.close().catch(() => undefined);
  await socket.closed.catch(() => undefined);
  const run: DemoRun = {
    messages,
    events,
    handshakeMs: handshakeDone - start,
    sinceNavigationMs: handshakeDone,
    info: { cipherSuite: info.cipherSuite, group: info.group, signatureScheme: info.signatureScheme, alpn: info.alpn, authorized: info.authorized },
    response: text,
    perStep,
  };
  renderSummary(summaryEl, run, info, cold);
  return run;
}
