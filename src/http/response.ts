/**
 * A strict HTTP/1.1 response reader (RFC 9112) over a stream of bytes:
 * status line, header fields, and a body delimited by Content-Length,
 * chunked transfer coding, or the end of the connection. Whatever does not
 * parse is an {@link HttpError}; every part has a size cap.
 * @module
 */

/** Why a response was refused. */
export type HttpErrorCode = 'malformed' | 'too_large' | 'truncated' | 'timeout' | 'unsupported';

/** A response that is malformed, too large, cut short, or too slow. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  /** `'malformed'`, `'too_large'`, `'truncated'`, `'timeout'` or `'unsupported'`. */
  readonly code: HttpErrorCode;
  constructor(code: HttpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A parsed response. */
export interface HttpResponseHead {
  /** The status code, 100..999 (RFC 9110 §15: three digits). */
  readonly status: number;
  /** The reason phrase, possibly empty. */
  readonly statusText: string;
  /** Header fields by lowercase name; repeated fields joined with `, ` (RFC 9110 §5.3). */
  readonly headers: Readonly<Record<string, string>>;
  /** Header fields as received, in order, names as sent. */
  readonly rawHeaders: readonly (readonly [string, string])[];
}

/** Limits of {@link readResponse}. */
export interface ResponseLimits {
  /** Bytes of the status line and header fields (and of trailers). */
  readonly maxHeaderSize: number;
  /** Bytes of the body (after chunked decoding). */
  readonly maxBodySize: number;
}

/** Buffered reading from a ReadableStreamDefaultReader. */
class ByteSource {
  #buf = new Uint8Array(0);
  #pos = 0;
  #done = false;
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  get available(): number {
    return this.#buf.length - this.#pos;
  }

  /** Reads one more chunk; false at the end of the stream. */
  async more(): Promise<boolean> {
    if (this.#done) return false;
    const { value, done } = await this.reader.read();
    if (done) {
      this.#done = true;
      return false;
    }
    const rest = this.#buf.subarray(this.#pos);
    const next = new Uint8Array(rest.length + value.length);
    next.set(rest);
    next.set(value, rest.length);
    this.#buf = next;
    this.#pos = 0;
    return true;
  }

  /** Index (relative to the read position) of `\r\n` (or `\r\n\r\n` when `double`), or -1. */
  find(double: boolean): number {
    const b = this.#buf;
    for (let i = this.#pos; i + (double ? 3 : 1) < b.length; i++) {
      if (b[i] === 13 && b[i + 1] === 10 && (!double || (b[i + 2] === 13 && b[i + 3] === 10))) return i - this.#pos;
    }
    return -1;
  }

  take(n: number): Uint8Array {
    const out = this.#buf.slice(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  skip(n: number): void {
    this.#pos += n;
  }
}

const latin1 = (b: Uint8Array): string => {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
};

/** tchar (RFC 9110 §5.6.2). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** field-value characters (RFC 9110 §5.5): visible, SP, HTAB, obs-text. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Reads a CRLF-terminated section (head or trailers) of at most `max` bytes. */
async function readSection(src: ByteSource, max: number, what: string, crlfOnlyIsEmpty: boolean): Promise<string[]> {
  for (;;) {
    if (crlfOnlyIsEmpty && src.available >= 2) {
      const lf = src.find(false);
      if (lf === 0) {
        src.skip(2);
        return [];
      }
    }
    const end = src.find(true);
    if (end !== -1) {
      if (end + 4 > max) throw new HttpError('too_large', `${what} is larger than ${max} bytes`);
      const text = latin1(src.take(end));
      src.skip(4);
      return text.split('\r\n');
    }
    if (src.available > max) throw new HttpError('too_large', `${what} is larger than ${max} bytes`);
    if (!(await src.more())) throw new HttpError('truncated', `the connection ended inside the ${what}`);
  }
}

function parseFields(lines: readonly string[], what: string): { headers: Record<string, string>; raw: [string, string][] } {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  const raw: [string, string][] = [];
  for (const line of lines) {
    if (line.includes('\n') || line.includes('\r')) throw new HttpError('malformed', `${what}: a bare CR or LF in a field line`);
    if (line.startsWith(' ') || line.startsWith('\t')) throw new HttpError('malformed', `${what}: obsolete line folding (RFC 9112 §5.2)`);
    const colon = line.indexOf(':');
    const name = colon <= 0 ? '' : line.slice(0, colon);
    if (!TOKEN.test(name)) throw new HttpError('malformed', `${what}: bad field line ${JSON.stringify(line.slice(0, 60))}`);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (!FIELD_VALUE.test(value)) throw new HttpError('malformed', `${what}: control characters in the value of ${name}`);
    raw.push([name, value]);
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return { headers, raw };
}

/** How the body ends (RFC 9112 §6.3). */
function bodyKind(status: number, method: string, headers: Record<string, string>): { kind: 'none' | 'chunked' | 'close' } | { kind: 'length'; length: number } {
  if (method === 'HEAD' || status === 204 || status === 304) return { kind: 'none' };
  const te = headers['transfer-encoding'];
  const cl = headers['content-length'];
  if (te !== undefined) {
    // Both is a request-smuggling signature (RFC 9112 §6.3 item 3): refused.
    if (cl !== undefined) throw new HttpError('malformed', 'both Transfer-Encoding and Content-Length');
    if (te.toLowerCase() !== 'chunked') throw new HttpError('unsupported', `Transfer-Encoding ${JSON.stringify(te)} (only chunked is supported)`);
    return { kind: 'chunked' };
  }
  if (cl !== undefined) {
    const values = cl.split(',').map((v) => v.trim());
    if (!values.every((v) => /^\d{1,15}$/.test(v) && v === values[0])) throw new HttpError('malformed', `bad Content-Length ${JSON.stringify(cl)}`);
    return { kind: 'length', length: Number(values[0]) };
  }
  return { kind: 'close' };
}

class BodyBuffer {
  readonly #parts: Uint8Array[] = [];
  #length = 0;
  constructor(private readonly max: number) {}
  add(b: Uint8Array): void {
    if (this.#length + b.length > this.max) throw new HttpError('too_large', `the body is larger than ${this.max} bytes`);
    this.#parts.push(b);
    this.#length += b.length;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let o = 0;
    for (const p of this.#parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** Up to `n` bytes; fails with 'truncated' when the stream ends first. */
async function takeExactly(src: ByteSource, n: number, out: BodyBuffer, what: string): Promise<void> {
  let left = n;
  while (left > 0) {
    if (src.available === 0 && !(await src.more())) throw new HttpError('truncated', `the connection ended ${left} bytes before the end of the ${what}`);
    const k = Math.min(left, src.available);
    out.add(src.take(k));
    left -= k;
  }
}

async function readChunked(src: ByteSource, out: BodyBuffer, limits: ResponseLimits): Promise<void> {
  for (;;) {
    let lf: number;
    while ((lf = src.find(false)) === -1) {
      if (src.available > 1024) throw new HttpError('malformed', 'chunk size line longer than 1024 bytes');
      if (!(await src.more())) throw new HttpError('truncated', 'the connection ended inside a chunk size line');
    }
    const line = latin1(src.take(lf));
    src.skip(2);
    // chunk-size [ chunk-ext ] (RFC 9112 §7.1); extensions are ignored.
    const m = /^([0-9A-Fa-f]{1,8})(?:[ \t]*;.*)?$/.exec(line);
    if (m === null) throw new HttpError('malformed', `bad chunk size line ${JSON.stringify(line.slice(0, 40))}`);
    const size = parseInt(m[1] as string, 16);
    if (size === 0) {
      // Trailer section, then the final CRLF (§7.1.2); trailers are checked and dropped.
      parseFields(await readSection(src, limits.maxHeaderSize, 'trailer section', true), 'trailer');
      return;
    }
    await takeExactly(src, size, out, 'chunk');
    while (src.available < 2) if (!(await src.more())) throw new HttpError('truncated', 'the connection ended after chunk data');
    if (src.find(false) !== 0) throw new HttpError('malformed', 'chunk data not followed by CRLF');
    src.skip(2);
  }
}

/**
 * Reads one response (skipping 1xx interim responses) from `reader`.
 * Resolves once the body is complete; for a body delimited by the end of
 * the connection, once the stream ended cleanly (a truncation error from
 * the stream is passed on).
 */
export async function readResponse(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  method: string,
  limits: ResponseLimits,
  /** Filled in for connection reuse (src/http/pool.ts): bytes read past the response, and whether the end of the stream delimited the body. */
  state?: { leftover: number; delimitedByClose: boolean },
): Promise<HttpResponseHead & { body: Uint8Array }> {
  const src = new ByteSource(reader);
  for (;;) {
    const lines = await readSection(src, limits.maxHeaderSize, 'response head', false);
    const statusLine = lines[0] as string;
    const m = /^HTTP\/1\.[01] (\d{3}) ([\t\x20-\x7e\x80-\xff]*)$/.exec(statusLine) ?? /^HTTP\/1\.[01] (\d{3})()$/.exec(statusLine);
    if (m === null) throw new HttpError('malformed', `bad status line ${JSON.stringify(statusLine.slice(0, 60))}`);
    const status = Number(m[1]);
    if (status < 100) throw new HttpError('malformed', `status ${status} out of range`);
    const { headers, raw } = parseFields(lines.slice(1), 'response');
    if (status === 101) throw new HttpError('unsupported', '101 Switching Protocols was not asked for');
    if (status < 200) continue; // interim (RFC 9110 §15.2)
    const body = new BodyBuffer(limits.maxBodySize);
    const kind = bodyKind(status, method, headers);
    if (kind.kind === 'length') {
      if (kind.length > limits.maxBodySize) throw new HttpError('too_large', `Content-Length ${kind.length} is larger than ${limits.maxBodySize} bytes`);
      await takeExactly(src, kind.length, body, 'body');
    }
    else if (kind.kind === 'chunked') await readChunked(src, body, limits);
    else if (kind.kind === 'close') {
      while (src.available > 0 || (await src.more())) body.add(src.take(src.available));
    }
    if (state !== undefined) {
      state.leftover = src.available;
      state.delimitedByClose = kind.kind === 'close';
    }
    return { status, statusText: m[2] as string, headers, rawHeaders: raw, body: body.bytes() };
  }
}
