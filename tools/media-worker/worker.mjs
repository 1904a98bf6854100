// Atrium's media worker: Mermaid diagrams and MathJax (TeX) formulas to SVG.
//
// A long-lived process driven by the server (src/engines/media/node_media_worker.cpp)
// over newline-delimited JSON: one request on stdin, one response on stdout, one at a
// time. The first line it prints is {"ready": true, "mermaid": bool, "tex": bool}.
//
//   {"id": n, "op": "ping"}
//   {"id": n, "op": "mermaid.render", "code": "...", "theme": "default", "width": 0, "height": 0}
//   {"id": n, "op": "mermaid.validate", "code": "..."}
//   {"id": n, "op": "tex.render", "latex": "...", "display": true, "fontSize": 16, "color": "#000000"}
//   {"id": n, "op": "tex.validate", "latex": "..."}
// answered {"id": n, "ok": true, ...} or {"id": n, "ok": false, "error": {"message": "...", "line": L}}
// (error.kind "unavailable" when the renderer asked for did not start).
//
// Mermaid runs in ONE headless Chromium page kept for the worker's lifetime (launched over
// a pipe, no TCP, no network: the page is filled with mermaid.min.js from disk). MathJax
// runs in Node with its lite DOM adaptor. Nothing here reaches the network.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

const MAX_CODE = 50000;   // bytes of Mermaid source
const MAX_LATEX = 10000;  // characters of TeX
const EX_PER_EM = 0.431;  // MathJax's TeX fonts: 1ex = 0.431em
const THEMES = new Set(['default', 'dark', 'forest', 'neutral']);

// stdout is the protocol: anything a library logs goes to stderr.
const protocolOut = process.stdout;
console.log = console.info = console.debug = (...a) => process.stderr.write(a.join(' ') + '\n');
console.warn = (...a) => process.stderr.write(a.join(' ') + '\n');

function send(obj) {
  protocolOut.write(JSON.stringify(obj) + '\n');
}

// ---------------------------------------------------------------- MathJax

let tex = null;  // {adaptor, html}

function loadMathJax() {
  const { mathjax } = require('mathjax-full/js/mathjax.js');
  const { TeX } = require('mathjax-full/js/input/tex.js');
  const { SVG } = require('mathjax-full/js/output/svg.js');
  const { liteAdaptor } = require('mathjax-full/js/adaptors/liteAdaptor.js');
  const { RegisterHTMLHandler } = require('mathjax-full/js/handlers/html.js');
  const { AllPackages } = require('mathjax-full/js/input/tex/AllPackages.js');
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  // noundefined/noerrors would draw a bad command in red instead of refusing it; html
  // (\href, \class, \style) would let a formula put links and styles in the SVG.
  const packages = AllPackages.filter((p) => !['noundefined', 'noerrors', 'html', 'require', 'autoload'].includes(p));
  const input = new TeX({
    packages,
    formatError: (_jax, err) => { throw err; },
  });
  const output = new SVG({ fontCache: 'local' });
  const html = mathjax.document('', { InputJax: input, OutputJax: output });
  tex = { adaptor, html };
}

// A cheap scan before MathJax: the first unbalanced brace, without recursion, so a
// million '{' is answered at once. Skips escaped braces (\{ \}) and % comments.
function braceProblem(latex) {
  const open = [];  // [line, column] of each open brace
  let line = 1, col = 0;
  for (let i = 0; i < latex.length; i++) {
    const c = latex[i];
    col++;
    if (c === '\n') { line++; col = 0; continue; }
    if (c === '\\') { i++; col++; if (latex[i] === '\n') { line++; col = 0; } continue; }
    if (c === '%') { while (i + 1 < latex.length && latex[i + 1] !== '\n') i++; continue; }
    if (c === '{') open.push([line, col]);
    else if (c === '}') {
      if (open.length === 0) return { message: 'Extra close brace or missing open brace', line, column: col };
      open.pop();
    }
  }
  if (open.length > 0) {
    const [l, c] = open[open.length - 1];
    return { message: 'Missing close brace', line: l, column: c };
  }
  return null;
}

function texMessage(err) {
  if (err instanceof RangeError) return 'Formula is nested too deeply';
  const m = err && err.message ? String(err.message) : String(err);
  return m.replace(/\s+/g, ' ').trim().slice(0, 500) || 'Invalid formula';
}

function convertTex(latex, display, fontSize) {
  const node = tex.html.convert(latex, { display, em: fontSize, ex: fontSize * EX_PER_EM, containerWidth: 80 * fontSize });
  return tex.adaptor.firstChild(node);  // the <svg> inside <mjx-container>
}

function checkLatex(req) {
  const latex = typeof req.latex === 'string' ? req.latex : '';
  if (latex.length > MAX_LATEX) return [latex, { message: `Formula is longer than ${MAX_LATEX} characters`, line: 1, column: 0 }];
  if (latex.trim() === '') return [latex, { message: 'Formula is empty', line: 1, column: 0 }];
  return [latex, braceProblem(latex)];
}

function exToPx(value, fontSize) {
  const m = /^(-?[0-9.]+)ex$/.exec(value || '');
  return m ? parseFloat(m[1]) * EX_PER_EM * fontSize : 0;
}

function texRender(req) {
  if (!tex) return { ok: false, error: { message: 'MathJax is not available', kind: 'unavailable' } };
  const [latex, problem] = checkLatex(req);
  if (problem) return { ok: false, error: problem };
  const fontSize = Number.isFinite(req.fontSize) && req.fontSize > 0 && req.fontSize <= 512 ? req.fontSize : 16;
  const color = typeof req.color === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(req.color) ? req.color : null;
  if (req.color !== undefined && color === null) return { ok: false, error: { message: 'Colour must be #rgb or #rrggbb' } };
  let svg;
  try {
    svg = convertTex(latex, req.display !== false, fontSize);
  } catch (err) {
    return { ok: false, error: { message: texMessage(err), line: 1 } };
  }
  const a = tex.adaptor;
  const width = exToPx(a.getAttribute(svg, 'width'), fontSize);
  const height = exToPx(a.getAttribute(svg, 'height'), fontSize);
  a.setAttribute(svg, 'width', `${+width.toFixed(3)}px`);
  a.setAttribute(svg, 'height', `${+height.toFixed(3)}px`);
  const style = (a.getAttribute(svg, 'style') || '').replace(/vertical-align:\s*(-?[0-9.]+)ex/, (_m, v) =>
    `vertical-align: ${+(parseFloat(v) * EX_PER_EM * fontSize).toFixed(3)}px`);
  a.setAttribute(svg, 'style', `${style ? style.replace(/;?\s*$/, '; ') : ''}color: ${color || '#000000'}`);
  return { ok: true, svg: a.outerHTML(svg), width: Math.round(width), height: Math.round(height) };
}

function texValidate(req) {
  if (!tex) return { ok: false, error: { message: 'MathJax is not available', kind: 'unavailable' } };
  const [latex, problem] = checkLatex(req);
  const errors = [], warnings = [];
  if (problem) {
    errors.push(problem);
  } else {
    try {
      convertTex(latex, true, 16);
    } catch (err) {
      errors.push({ message: texMessage(err), line: 1, column: 0 });
    }
    if (/\$/.test(latex.replace(/\\\$/g, ''))) warnings.push({ message: 'Dollar signs are not needed around the formula', line: 1, column: latex.indexOf('$') + 1 });
    if (/\\over\b/.test(latex)) warnings.push({ message: '\\over is obsolete; use \\frac', line: 1, column: latex.indexOf('\\over') + 1 });
  }
  return { ok: true, errors, warnings };
}

// ---------------------------------------------------------------- Mermaid

let browser = null, page = null, closing = false;

function chromiumPath() {
  if (process.env.ATRIUM_MEDIA_CHROMIUM) return process.env.ATRIUM_MEDIA_CHROMIUM;
  for (const p of ['/usr/lib/chromium/chromium', '/usr/bin/chromium']) if (existsSync(p)) return p;
  return '/usr/bin/chromium';
}

async function startMermaid() {
  const puppeteer = (await import('puppeteer-core')).default;
  browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    pipe: true,
    headless: true,
    timeout: 30000,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-dev-shm-usage',
      '--disable-extensions', '--disable-background-networking', '--disable-sync', '--disable-breakpad',
      '--disable-crash-reporter', '--mute-audio', '--no-zygote', '--metrics-recording-only', '--hide-scrollbars'],
  });
  browser.on('disconnected', () => {
    if (closing) return;
    process.stderr.write('media-worker: chromium went away\n');
    process.exit(3);  // the server starts a fresh worker
  });
  page = await browser.newPage();
  await page.setJavaScriptEnabled(true);
  await page.setRequestInterception(true);
  page.on('request', (r) => (r.url().startsWith('data:') || r.url() === 'about:blank' ? r.continue() : r.abort()));
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body><div id="work"></div></body></html>');
  const mermaidJs = join(dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.min.js');
  await page.addScriptTag({ path: mermaidJs });
  const ok = await page.evaluate(() => typeof window.mermaid === 'object' && typeof window.mermaid.render === 'function');
  if (!ok) throw new Error('mermaid did not load in the page');
}

// Runs in the page. Returns {svg} or {error: {message, line}}.
async function pageRender(id, code, theme, validateOnly) {
  const mermaid = window.mermaid;
  const lineOf = (err) => {
    const loc = err && err.hash && err.hash.loc;
    if (loc && Number.isInteger(loc.first_line)) return loc.first_line;
    const m = /line (\d+)/i.exec(String((err && err.message) || err));
    return m ? parseInt(m[1], 10) : 0;
  };
  const fail = (err) => ({ error: { message: String((err && err.message) || err).slice(0, 2000), line: lineOf(err) } });
  mermaid.initialize({ startOnLoad: false, theme, securityLevel: 'strict', htmlLabels: false,
    flowchart: { htmlLabels: false }, deterministicIds: true, deterministicIDSeed: id });
  try {
    await mermaid.parse(code);
  } catch (err) {
    return fail(err);
  }
  if (validateOnly) return {};
  const work = document.getElementById('work');
  try {
    const { svg } = await mermaid.render(id, code, work);
    work.innerHTML = svg;
    const root = work.querySelector('svg');
    if (!root) return { error: { message: 'mermaid drew no SVG', line: 0 } };
    // Words of a label are separate tspans (" with"); browsers join them, but SVG's
    // default whitespace rule lets other renderers (librsvg for PNG) drop each leading
    // space, so the labels say where spaces are kept.
    for (const t of root.querySelectorAll('text')) t.setAttributeNS('http://www.w3.org/XML/1998/namespace', 'xml:space', 'preserve');
    const vb = (root.getAttribute('viewBox') || '').trim().split(/[\s,]+/).map(Number);
    return { svg: new XMLSerializer().serializeToString(root), viewBox: vb.length === 4 ? vb : null };
  } catch (err) {
    return fail(err);
  } finally {
    work.innerHTML = '';
    for (const el of Array.from(document.body.children)) if (el.id !== 'work') el.remove();
  }
}

let renders = 0;

async function mermaidOp(req, validateOnly) {
  if (!page) return { ok: false, error: { message: 'Mermaid is not available (Chromium did not start)', kind: 'unavailable' } };
  const code = typeof req.code === 'string' ? req.code : '';
  if (Buffer.byteLength(code) > MAX_CODE) return { ok: false, error: { message: `Diagram source is larger than ${MAX_CODE} bytes`, line: 0 } };
  if (code.trim() === '') return { ok: false, error: { message: 'Diagram source is empty', line: 0 } };
  const theme = req.theme === undefined || req.theme === '' ? 'default' : req.theme;
  if (!THEMES.has(theme)) return { ok: false, error: { message: `Unknown theme '${String(theme).slice(0, 40)}' (default, dark, forest, neutral)`, line: 0 } };
  const id = `atrium-mmd-${++renders}`;
  const r = await page.evaluate(pageRender, id, code, theme, validateOnly);
  if (r.error) return { ok: false, error: r.error };
  if (validateOnly) return { ok: true, problems: [] };
  let svg = r.svg;
  let [w, h] = r.viewBox ? [r.viewBox[2], r.viewBox[3]] : [0, 0];
  // Fit into the wanted box, keeping the aspect ratio.
  const ww = Number.isFinite(req.width) && req.width > 0 ? req.width : 0;
  const wh = Number.isFinite(req.height) && req.height > 0 ? req.height : 0;
  if (w > 0 && h > 0 && (ww || wh)) {
    const s = Math.min(ww ? ww / w : Infinity, wh ? wh / h : Infinity);
    w *= s; h *= s;
  }
  if (w > 0 && h > 0) {
    // The root's width="100%" and max-width style become a fixed size in pixels.
    svg = svg.replace(/^<svg\b[^>]*>/, (tag) => {
      let t = tag.replace(/\s(width|height)="[^"]*"/g, '').replace(/max-width:\s*[0-9.]+px;?\s*/, '');
      return t.replace(/^<svg/, `<svg width="${+w.toFixed(3)}" height="${+h.toFixed(3)}"`);
    });
  }
  return { ok: true, svg, width: Math.round(w), height: Math.round(h) };
}

// ---------------------------------------------------------------- the loop

async function handle(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return { id: null, ok: false, error: { message: 'request is not JSON' } };
  }
  const id = req && typeof req === 'object' ? req.id ?? null : null;
  let r;
  try {
    switch (req.op) {
      case 'ping': r = { ok: true, mermaid: page !== null, tex: tex !== null }; break;
      case 'mermaid.render': r = await mermaidOp(req, false); break;
      case 'mermaid.validate': r = await mermaidOp(req, true); break;
      case 'tex.render': r = texRender(req); break;
      case 'tex.validate': r = texValidate(req); break;
      default: r = { ok: false, error: { message: `unknown op '${String(req.op).slice(0, 40)}'` } };
    }
  } catch (err) {
    r = { ok: false, error: { message: String((err && err.message) || err).slice(0, 2000) } };
  }
  return { id, ...r };
}

async function main() {
  try {
    loadMathJax();
  } catch (err) {
    process.stderr.write(`media-worker: MathJax did not load: ${err && err.stack}\n`);
    tex = null;
  }
  try {
    await startMermaid();
  } catch (err) {
    process.stderr.write(`media-worker: Chromium did not start: ${err && err.message}\n`);
    try { if (browser) { closing = true; await browser.close(); } } catch { /* gone already */ }
    browser = null; page = null; closing = false;
  }
  send({ ready: true, mermaid: page !== null, tex: tex !== null });

  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  let chain = Promise.resolve();
  rl.on('line', (line) => {
    if (line.trim() === '') return;
    chain = chain.then(async () => send(await handle(line)));
  });
  rl.on('close', () => {
    chain.then(async () => {
      closing = true;
      try { if (browser) await browser.close(); } catch { /* gone already */ }
      process.exit(0);
    });
  });
}

main();
