// Terminal rendering of the step-by-step trace: a header whenever the step
// changes, one arrow line per event, its fields as an indented tree, the
// receiver's check, the explanation, and the first bytes in hex. Plain text,
// with optional ANSI colours.

import type { TraceEvent, TraceField } from './event.js';
import { toHex } from './fields.js';

/** Options of {@link renderTraceEvent}. */
export interface TraceTextOptions {
  /** ANSI colours (default false). */
  color?: boolean;
  /** Wrap width in columns (default 100, at least 60). */
  width?: number;
  /** Bytes of each event shown in hex (default 32; 0 for none). */
  hexBytes?: number;
  /** Milliseconds since the previous event, shown on the arrow line. */
  elapsedMs?: number | undefined;
  /** The previous event's step: a step header is printed when it differs. */
  previousStep?: number | undefined;
}

const ANSI = { bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', cyan: '\x1b[36m', reset: '\x1b[0m' };
type Paint = (style: keyof typeof ANSI, s: string) => string;

/** Splits `s` into lines of at most `width` columns, at spaces when there are any. */
function wrap(s: string, width: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= width / 3) cut = width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
}

function fieldLines(fields: readonly TraceField[], indent: string, width: number, paint: Paint): string[] {
  const lines: string[] = [];
  const nameWidth = Math.min(26, Math.max(0, ...fields.map((f) => f.name.length)) + 2);
  for (const f of fields) {
    const valueWidth = Math.max(20, width - indent.length - nameWidth);
    const parts = wrap(f.value, valueWidth);
    lines.push(`${indent}${paint('dim', f.name.padEnd(nameWidth))}${parts[0]}`);
    for (const p of parts.slice(1)) lines.push(`${indent}${' '.repeat(nameWidth)}${p}`);
    if (f.children !== undefined && f.children.length > 0) lines.push(...fieldLines(f.children, `${indent}  `, width, paint));
  }
  return lines;
}

function arrow(e: TraceEvent): string {
  if (e.direction === 'local') return `${e.side} ·· derives`;
  return e.from === 'client' ? 'client ──▶ server' : 'client ◀── server';
}

/**
 * One event as terminal text (several lines, ending with a newline).
 * @example for (const e of events) process.stdout.write(renderTraceEvent(e, { previousStep: prev?.step }))
 */
export function renderTraceEvent(e: TraceEvent, options: TraceTextOptions = {}): string {
  const color = options.color === true;
  const paint: Paint = (style, s) => (color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const width = Math.max(60, options.width ?? 100);
  const lines: string[] = [];
  if (options.previousStep !== e.step) {
    const title = `━━ Step ${e.step} · ${e.stepTitle} `;
    lines.push('', paint('cyan', paint('bold', title + '━'.repeat(Math.max(3, width - title.length)))));
  }
  const where = e.kind === 'keys' ? 'nothing on the wire' : `${e.encrypted ? 'encrypted' : 'plaintext'}, ${e.bytes.length} bytes`;
  const time = options.elapsedMs === undefined ? '' : paint('dim', `  +${options.elapsedMs.toFixed(1)} ms`);
  lines.push(`${paint('yellow', arrow(e))}  ${paint('bold', e.name)}  ${paint('dim', `(${where})`)}${time}`);
  lines.push(...fieldLines(e.fields, '    ', width, paint));
  if (e.check !== undefined) {
    const mark = e.check.ok ? paint('green', '✓ checked:') : paint('red', '✗ failed:');
    const parts = wrap(e.check.text, width - 15);
    lines.push(`    ${mark} ${parts[0]}`);
    for (const p of parts.slice(1)) lines.push(`               ${p}`);
  }
  for (const l of wrap(`${e.explanation} (${e.rfc})`, width - 6)) lines.push(`    ${paint('dim', '│')} ${l}`);
  const n = Math.min(e.bytes.length, options.hexBytes ?? 32);
  for (let off = 0; off < n; off += 16) {
    const hex = toHex(e.bytes.subarray(off, Math.min(off + 16, n))).replace(/(..)(?!$)/g, '$1 ');
    const more = off + 16 >= n && e.bytes.length > n ? ` … ${e.bytes.length - n} more` : '';
    lines.push(`    ${paint('dim', `${off === 0 ? 'bytes' : '     '}   ${hex}${more}`)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A whole trace as terminal text.
 * @example process.stdout.write(renderTrace(events, { color: process.stdout.isTTY }))
 */
export function renderTrace(events: readonly TraceEvent[], options: Omit<TraceTextOptions, 'previousStep' | 'elapsedMs'> = {}): string {
  let out = '';
  let previous: number | undefined;
  for (const e of events) {
    out += renderTraceEvent(e, { ...options, previousStep: previous });
    previous = e.step;
  }
  return out;
}
