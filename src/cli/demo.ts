// `wasmtls demo` (and `npm start`): "How HTTPS works, step by step" on the
// real protocol. In one process, on 127.0.0.1 only: a wasmtls server with a
// fresh CA (dev-cert.ts) and a wasmtls client that completes a TLS 1.3
// handshake and an HTTP/1.1 GET. Each trace event (src/trace) is printed as
// it happens, grouped by the four steps of the usual story, then a summary
// of the negotiated parameters and the time spent in each step.
// `wasmtls demo --web` serves the same as a page (demo-web.ts).
import { performance } from 'node:perf_hooks';
import type { HandshakeInfo } from '../handshake/common.js';
import { TRACE_STEPS, type TraceEvent, type TraceStep } from '../trace/event.js';
import { renderTraceEvent } from '../trace/render-text.js';
import { connectTcp, createTcpServer, type TcpTlsConnection } from '../node/index.js';
import type { DemoArgs } from './args.js';
import type { Io } from './connect.js';
import { describeError, describeHandshake } from './describe.js';
import { makeDevIdentity } from './dev-cert.js';

/** The HTTP/1.1 answer of the demo server: a page naming what was negotiated. */
export function demoResponse(info: HandshakeInfo | undefined): Uint8Array {
  const body = `Hello over TLS 1.3 from wasmtls.\nNegotiated: ${info === undefined ? '?' : describeHandshake(info)}\n`;
  const bytes = new TextEncoder().encode(body);
  const head = `HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`;
  const out = new Uint8Array(head.length + bytes.length);
  out.set(new TextEncoder().encode(head));
  out.set(bytes, head.length);
  return out;
}

/** Longest request head the demo server reads. */
const MAX_HEAD = 8192;

/** Serves one HTTP/1.1 request on a demo connection, then sends close_notify. */
export function serveDemoHttp(conn: TcpTlsConnection): void {
  let head = '';
  let answered = false;
  const decoder = new TextDecoder('latin1');
  conn.ondata = (data) => {
    if (answered) return;
    head += decoder.decode(data, { stream: true });
    if (!head.includes('\r\n\r\n') && head.length <= MAX_HEAD) return;
    answered = true;
    conn.write(demoResponse(conn.tls.handshakeInfo));
    conn.end();
  };
}

/** The time of each event since the previous one, summed per step. */
export class StepClock {
  readonly #perStep = new Map<TraceStep, number>();
  #last: number;

  constructor(start: number) {
    this.#last = start;
  }

  /** Records an event at `now`; returns the milliseconds since the previous one. */
  note(step: TraceStep, now: number): number {
    const dt = now - this.#last;
    this.#last = now;
    this.#perStep.set(step, (this.#perStep.get(step) ?? 0) + dt);
    return dt;
  }

  /** Milliseconds per step, in step order. */
  get perStep(): [TraceStep, number][] {
    return [...this.#perStep.entries()].sort((a, b) => a[0] - b[0]);
  }
}

/** Runs the terminal demo; resolves with the exit status. */
export async function runDemo(args: DemoArgs, io: Io): Promise<number> {
  const color = args.color ?? (io.stdout as { isTTY?: boolean }).isTTY === true;
  const width = Math.min(120, Math.max(72, (io.stdout as { columns?: number }).columns ?? 100));
  const dev = makeDevIdentity('127.0.0.1');
  const start = performance.now();
  const clock = new StepClock(start);
  const events: TraceEvent[] = [];
  let previous: TraceStep | undefined;
  const show = (e: TraceEvent) => {
    const dt = clock.note(e.step, performance.now());
    events.push(e);
    io.stdout.write(renderTraceEvent(e, { color, width, hexBytes: args.hexBytes, elapsedMs: dt, previousStep: previous }));
    previous = e.step;
  };
  const server = createTcpServer(
    { cert: dev.certPem, key: dev.key, alpn: ['http/1.1'], handshakeTimeout: 10_000, ...(args.side === 'server' ? { onTrace: show } : {}) },
    serveDemoHttp,
  );
  let failure: unknown;
  let response = '';
  let info: HandshakeInfo | undefined;
  let handshakeMs = 0;
  try {
    const { port } = await server.listen(0, '127.0.0.1');
    io.stdout.write(
      `wasmtls demo: a TLS 1.3 server on 127.0.0.1:${port} with a certificate from a CA made a moment ago, and a client that ` +
        `connects to it over loopback and asks for / over HTTP/1.1. The ${args.side}'s view, step by step:\n`,
    );
    const conn = await connectTcp({
      host: '127.0.0.1',
      port,
      serverName: 'localhost',
      ca: dev.caPem,
      alpn: ['http/1.1'],
      handshakeTimeout: 10_000,
      ...(args.side === 'client' ? { onTrace: show } : {}),
    });
    handshakeMs = performance.now() - start;
    info = conn.tls.handshakeInfo;
    const decoder = new TextDecoder();
    conn.ondata = (d) => {
      response += decoder.decode(d, { stream: true });
    };
    conn.write(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
    await conn.closed;
  } catch (e) {
    failure = e;
  } finally {
    await server.close(1_000);
  }
  if (failure !== undefined) {
    io.stderr.write(`error: ${describeError(failure)}\n`);
    return 1;
  }
  io.stdout.write(summary(info, events, clock, handshakeMs, response, width, color));
  return 0;
}

function summary(info: HandshakeInfo | undefined, events: readonly TraceEvent[], clock: StepClock, handshakeMs: number, response: string, width: number, color: boolean): string {
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
  const title = '━━ Summary ';
  const lines = ['', bold(title + '━'.repeat(Math.max(3, width - title.length)))];
  if (info !== undefined) {
    const leaf = info.peerCertificates[0];
    lines.push(`  negotiated      ${describeHandshake(info)}`);
    if (leaf !== undefined) {
      lines.push(`  server          ${leaf.subject.text || '(empty subject)'}, issued by ${leaf.issuer.text}`);
      lines.push(`  trusted         ${info.authorized ? 'yes: the chain leads to the CA the client was given, and names localhost' : 'no'}`);
    }
  }
  const status = response.slice(0, response.indexOf('\r\n'));
  lines.push(`  HTTP            ${status || '(no response)'}, ${response.length} bytes`);
  lines.push(`  messages        ${events.filter((e) => e.kind === 'handshake').length} handshake messages, ${events.filter((e) => e.encrypted).length} events encrypted`);
  lines.push(`  handshake       ${handshakeMs.toFixed(1)} ms from the client's start to the end of its handshake (cold, both ends on one thread)`);
  lines.push('  time per step   (time since the previous event, added to the step of the event)');
  for (const [step, ms] of clock.perStep) lines.push(`    ${step}. ${TRACE_STEPS[step].padEnd(36)} ${ms.toFixed(1).padStart(7)} ms`);
  lines.push(
    '',
    '  TLS 1.3 differs from the usual story in step 3: no session key is ever sent. Client and server each',
    '  contribute an ephemeral key share (X25519 here) and derive the same keys (RFC 8446 §7.1); the',
    "  certificate's key only signs the transcript (CertificateVerify, §4.4.3). That is why step 3 starts",
    '  before step 2, and why the certificate itself already travels encrypted.',
    '',
  );
  return lines.join('\n');
}
