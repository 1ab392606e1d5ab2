// The browser demo's sequence diagram: one arrow per traced event between a
// client and a server lifeline, grouped under a band for each step of the
// story, each arrow expandable to its decoded fields, the receiver's check,
// the explanation and a hex dump. Plain DOM, no framework; styles in html.ts.

import type { TraceEvent, TraceField } from '../trace/event.js';

type Child = Node | string | undefined;

function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c !== undefined) el.append(c);
  return el;
}

function fieldList(fields: readonly TraceField[]): HTMLElement {
  const dl = h('dl', { class: 'fields' });
  for (const f of fields) {
    const dd = h('dd', {}, h('span', { class: /^[0-9a-f]{16,}/.test(f.value) ? 'value hex' : 'value' }, f.value));
    if (f.children !== undefined && f.children.length > 0) dd.append(fieldList(f.children));
    dl.append(h('dt', {}, f.name), dd);
  }
  return dl;
}

/** A hex dump, 16 bytes a line, with offsets. */
export function hexDump(bytes: Uint8Array, max = 4096): string {
  const lines: string[] = [];
  const n = Math.min(bytes.length, max);
  for (let off = 0; off < n; off += 16) {
    const row = bytes.subarray(off, Math.min(off + 16, n));
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·')).join('');
    lines.push(`${off.toString(16).padStart(4, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > n) lines.push(`… ${bytes.length - n} more bytes`);
  return lines.join('\n');
}

function details(e: TraceEvent): HTMLElement {
  const box = h('div', { class: 'details' });
  if (e.check !== undefined) box.append(h('p', { class: `check ${e.check.ok ? 'ok' : 'bad'}` }, `${e.check.ok ? '✓ Checked' : '✗ Failed'}: ${e.check.text}`));
  box.append(h('p', { class: 'explain' }, e.explanation, ' ', h('cite', {}, e.rfc)));
  if (e.fields.length > 0) box.append(fieldList(e.fields));
  if (e.bytes.length > 0) {
    const what = e.kind === 'handshake' ? 'message bytes (before record protection)' : e.kind === 'alert' ? 'alert bytes' : 'record as on the wire';
    box.append(h('div', { class: 'hexhead' }, `${e.bytes.length} ${what}`), h('pre', { class: 'hexdump' }, hexDump(e.bytes)));
  }
  return box;
}

/**
 * A sequence diagram that grows as events arrive.
 * @example const d = new SequenceDiagram(el, { client: 'This page', server: '127.0.0.1:8443' }); onTrace = (e) => d.add(e, dt);
 */
export class SequenceDiagram {
  readonly #root: HTMLElement;
  #group: HTMLElement | undefined;
  #step: number | undefined;
  #count = 0;

  constructor(container: HTMLElement, lanes: { client: string; server: string }) {
    this.#root = h('div', { class: 'diagram' });
    const head = h(
      'div',
      { class: 'lanes' },
      h('div', { class: 'lane client' }, h('strong', {}, 'Client'), h('span', {}, lanes.client)),
      h('div', { class: 'lane-gap' }),
      h('div', { class: 'lane server' }, h('strong', {}, 'Server'), h('span', {}, lanes.server)),
    );
    container.replaceChildren(head, this.#root);
  }

  /** The number of events drawn. */
  get size(): number {
    return this.#count;
  }

  /** Draws one event; `elapsedMs` is the time since the previous one. */
  add(e: TraceEvent, elapsedMs?: number): void {
    if (e.step !== this.#step || this.#group === undefined) {
      this.#step = e.step;
      const band = h('div', { class: 'band' }, h('span', { class: 'num' }, String(e.step)), h('span', {}, e.stepTitle));
      this.#group = h('section', { class: `step s${e.step}`, 'data-step': String(e.step) }, band);
      this.#root.append(this.#group);
    }
    this.#count++;
    const local = e.direction === 'local';
    const dir = local ? 'local' : e.from === 'client' ? 'right' : 'left';
    const tags = h('span', { class: 'tags' });
    if (e.kind !== 'keys') tags.append(h('span', { class: e.encrypted ? 'tag lock' : 'tag clear' }, e.encrypted ? 'encrypted' : 'plaintext'), h('span', { class: 'tag' }, `${e.bytes.length} B`));
    if (e.check !== undefined) tags.append(h('span', { class: e.check.ok ? 'tag ok' : 'tag bad' }, e.check.ok ? '✓' : '✗'));
    if (elapsedMs !== undefined) tags.append(h('span', { class: 'tag time' }, `+${elapsedMs.toFixed(1)} ms`));
    const label = h('span', { class: 'label' }, h('span', { class: 'name' }, e.name), tags);
    const arrow = local ? h('div', { class: 'note' }, label) : h('div', { class: 'arrow' }, label, h('span', { class: 'line' }));
    const row = h(
      'details',
      { class: `msg ${dir} k-${e.kind}`, 'data-name': e.name, 'data-kind': e.kind, 'data-from': e.from },
      h('summary', {}, h('span', { class: 'life c' }), arrow, h('span', { class: 'life s' })),
      details(e),
    );
    this.#group.append(row);
  }
}
