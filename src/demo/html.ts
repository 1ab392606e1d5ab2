// The browser demo's document: layout and styles for page.ts and the
// sequence diagram (diagram.ts). One self-contained HTML string; the script
// is loaded from /page.js.

const CSS = `
:root { --ink: #0f172a; --muted: #64748b; --line: #cbd5e1; --bg: #f8fafc; --card: #ffffff;
  --s1: #2563eb; --s2: #7c3aed; --s3: #c2410c; --s4: #047857; --lane: 80px; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1040px; margin: 0 auto; padding: 28px 24px 60px; }
h1 { font-size: 28px; margin: 0 0 4px; letter-spacing: -0.01em; }
.sub { color: var(--muted); margin: 0 0 20px; }
code, .hex, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
.story { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 0 0 14px; }
.story div { background: var(--card); border: 1px solid #e2e8f0; border-top: 4px solid var(--c); border-radius: 10px; padding: 10px 12px; font-size: 13.5px; }
.story b { color: var(--c); display: block; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.note13 { background: #fff7ed; border: 1px solid #fed7aa; border-radius: 10px; padding: 10px 14px; font-size: 13.5px; margin: 0 0 18px; }
.bar { display: flex; align-items: center; gap: 14px; margin: 0 0 10px; }
button { font: inherit; font-weight: 600; color: #fff; background: var(--ink); border: 0; border-radius: 8px; padding: 8px 16px; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
#status { color: var(--muted); }
#status.error { color: #b91c1c; font-weight: 600; }
.card { background: var(--card); border: 1px solid #e2e8f0; border-radius: 12px; padding: 14px 18px; }
.s1 { --c: var(--s1); } .s2 { --c: var(--s2); } .s3 { --c: var(--s3); } .s4 { --c: var(--s4); }
#diagram { position: relative; margin: 0 0 18px; padding: 0 0 10px; }
.lanes { display: grid; grid-template-columns: calc(2 * var(--lane)) 1fr calc(2 * var(--lane)); position: sticky; top: 0; z-index: 3; background: var(--bg); padding: 8px 0; }
.lane { text-align: center; background: var(--ink); color: #fff; border-radius: 10px; padding: 6px 8px; line-height: 1.25; }
.lane span { display: block; font-size: 12px; color: #cbd5e1; }
.diagram { position: relative; padding-bottom: 8px;
  background: linear-gradient(var(--line), var(--line)) calc(var(--lane) - 1px) 0 / 2px 100% no-repeat,
              linear-gradient(var(--line), var(--line)) calc(100% - var(--lane) - 1px) 0 / 2px 100% no-repeat; }
section.step { position: relative; }
.band { display: flex; align-items: center; gap: 10px; margin: 16px 0 4px; padding: 5px 12px; border-radius: 8px; font-weight: 650; color: var(--c);
  background: color-mix(in srgb, var(--c) 10%, var(--bg)); position: relative; z-index: 1; }
.band .num { width: 22px; height: 22px; border-radius: 50%; background: var(--c); color: #fff; display: grid; place-items: center; font-size: 12.5px; }
details.msg > summary { display: grid; grid-template-columns: var(--lane) 1fr var(--lane); align-items: end; min-height: 46px; cursor: pointer; list-style: none; }
details.msg > summary::-webkit-details-marker { display: none; }
details.msg > summary:hover .name, details.msg[open] .name { text-decoration: underline; text-decoration-color: var(--c); }
.life { display: block; }
.arrow { position: relative; height: 46px; }
.arrow .line { position: absolute; left: 0; right: 0; bottom: 9px; height: 2px; background: var(--c); }
.msg.right .arrow .line::after, .msg.left .arrow .line::before { content: ""; position: absolute; top: -5px; border-top: 6px solid transparent; border-bottom: 6px solid transparent; }
.msg.right .arrow .line::after { right: 0; border-left: 11px solid var(--c); }
.msg.left .arrow .line::before { left: 0; border-right: 11px solid var(--c); }
.k-change_cipher_spec .arrow .line, .k-alert .arrow .line { background: repeating-linear-gradient(90deg, var(--c) 0 6px, transparent 6px 10px); }
.label { position: absolute; left: 14px; right: 14px; bottom: 14px; display: flex; justify-content: center; align-items: baseline; gap: 8px; flex-wrap: wrap; }
.name { font-weight: 650; }
.tags { display: inline-flex; gap: 5px; }
.tag { font-size: 11px; padding: 0 6px; border-radius: 999px; background: #e2e8f0; color: #334155; white-space: nowrap; }
.tag.lock { background: #dcfce7; color: #166534; } .tag.clear { background: #fef3c7; color: #92400e; }
.tag.ok { background: #dcfce7; color: #166534; } .tag.bad { background: #fee2e2; color: #991b1b; } .tag.time { background: transparent; color: var(--muted); }
.msg.local > summary { align-items: center; }
.note { grid-column: 1 / 3; margin: 6px 0 6px calc(var(--lane) - 40px); justify-self: start; position: relative; z-index: 1;
  border: 1.5px dashed var(--c); background: color-mix(in srgb, var(--c) 7%, #fff); border-radius: 8px; padding: 3px 12px; }
.note .label { position: static; justify-content: flex-start; }
.note .name::before { content: "⚙ "; }
.details { margin: 2px var(--lane) 12px; padding: 12px 16px; background: var(--card); border: 1px solid #e2e8f0; border-left: 4px solid var(--c); border-radius: 8px; position: relative; z-index: 1; }
.details p { margin: 0 0 8px; }
.check.ok { color: #166534; } .check.bad { color: #b91c1c; font-weight: 600; }
cite { color: var(--muted); font-style: normal; white-space: nowrap; }
dl.fields { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 14px; margin: 6px 0 8px; font-size: 13.5px; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; min-width: 0; }
dl.fields dd dl.fields { margin: 2px 0 4px; padding-left: 10px; border-left: 2px solid #e2e8f0; }
.value.hex { word-break: break-all; }
.hexhead { font-size: 12px; color: var(--muted); margin-top: 6px; }
pre.hexdump { margin: 4px 0 0; padding: 8px 10px; background: #0f172a; color: #e2e8f0; border-radius: 6px; overflow-x: auto; }
#summary h2 { font-size: 17px; margin: 0 0 8px; }
#summary table { border-collapse: collapse; width: 100%; font-size: 14px; }
#summary th { text-align: left; color: var(--muted); font-weight: 500; padding: 3px 16px 3px 0; white-space: nowrap; vertical-align: top; width: 1%; }
#summary td { padding: 3px 0; }
#summary pre { margin: 6px 0 0; white-space: pre-wrap; }
.steps-time { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin-top: 10px; }
.steps-time div { border-top: 3px solid var(--c); padding-top: 4px; font-size: 13px; }
.steps-time b { display: block; font-size: 18px; }
.fine { color: var(--muted); font-size: 12.5px; margin: 10px 0 0; }
@media (max-width: 760px) { .story, .steps-time { grid-template-columns: 1fr 1fr; } :root { --lane: 56px; } }
`;

/** The demo page's HTML. */
export function demoPageHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>How HTTPS works, step by step — wasmtls</title>
<style>${CSS}</style></head>
<body><main>
<h1>How HTTPS works, step by step</h1>
<p class="sub">A real TLS 1.3 handshake and an HTTP GET, run by wasmtls inside this page and sent through a WebSocket tunnel to a wasmtls server on 127.0.0.1. Click any arrow for its fields, the check made on it, and its bytes.</p>
<div class="story">
  <div class="s1"><b>Step 1</b>Client Hello: the client says which versions, ciphers and key shares it can use.</div>
  <div class="s2"><b>Step 2</b>The server proves who it is with a certificate signed by a CA.</div>
  <div class="s3"><b>Step 3</b>Both sides agree on a session key.</div>
  <div class="s4"><b>Step 4</b>Everything after is encrypted.</div>
</div>
<p class="note13"><b>Where TLS 1.3 differs from that story.</b> In step 3 no session key is ever sent: the client does not encrypt one to the server's RSA key (that was TLS 1.2's static RSA exchange, removed by RFC 8446 §1.2). Each side sends an ephemeral X25519 public key and both derive the same keys from the exchange; the certificate's key only signs the transcript (CertificateVerify). So step 3 starts before step 2, and the certificate already travels encrypted.</p>
<div class="bar"><button id="run" disabled>Run the handshake again</button><span id="status">Loading…</span></div>
<div id="diagram"></div>
<div id="summary" class="card" hidden></div>
</main>
<script type="module" src="/page.js"></script>
</body></html>
`;
}
