// Renders parts of a .reglas file to an HTML page colored by the TextMate
// grammar, for the screenshot in docs/editores.md: the tokens come from
// VS Code's tokenizer (as in tokenizar.js) and the colors are those of VS
// Code's default light theme (Light+) for each scope. It is not a capture of
// the VS Code window: see docs/editores.md.
//
// Use: node captura.js GRAMATICA.json ARCHIVO.reglas DESDE-HASTA[,DESDE-HASTA…] SALIDA.html
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

// Light+ colors, most specific scope prefix first.
const COLORS = [
  ['comment', '#008000'],
  ['string', '#a31515'],
  ['constant.numeric', '#098658'],
  ['keyword.control', '#af00db'],
  ['keyword.operator.comparison', '#000000'],
  ['keyword.operator.arithmetic', '#000000'],
  ['keyword', '#0000ff'],
  ['storage.type', '#0000ff'],
  ['entity.name.type', '#267f99'],
  ['support.function', '#795e26'],
  ['variable', '#001080'],
];

function color(scopes) {
  for (let i = scopes.length - 1; i >= 0; i--) {
    for (const [prefix, c] of COLORS) {
      if (scopes[i] === prefix || scopes[i].startsWith(prefix + '.')) return c;
    }
  }
  return '#000000';
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function main() {
  const [grammarPath, file, ranges, out] = process.argv.slice(2);
  const wasm = fs.readFileSync(
    path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s) => new oniguruma.OnigScanner(s),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  const grammar = await registry.loadGrammar('source.reglas');
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const wanted = ranges.split(',').map((r) => r.split('-').map(Number));
  let stack = vsctm.INITIAL;
  const rows = [];
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    const n = i + 1;
    if (!wanted.some(([a, b]) => a <= n && n <= b)) return;
    if (rows.length && wanted.some(([a]) => a === n)) rows.push('<div class="gap">⋯</div>');
    const html = r.tokens
      .map((t) => `<span style="color:${color(t.scopes)}">${escape(line.slice(t.startIndex, t.endIndex))}</span>`)
      .join('');
    rows.push(`<div><span class="n">${n}</span>${html || ' '}</div>`);
  });
  const page = `<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><style>
body { margin: 0; background: #ffffff; }
.editor { font: 14px/20px 'DejaVu Sans Mono', Consolas, monospace; white-space: pre; padding: 10px 16px; }
.n { display: inline-block; width: 3.5em; color: #237893; text-align: right; margin-right: 1.5em; }
.gap { color: #999; padding-left: 2em; }
.tab { font: 13px sans-serif; background: #f3f3f3; padding: 6px 16px; color: #333; border-bottom: 1px solid #ddd; }
</style></head><body><div class="tab">${escape(path.basename(file))}</div><div class="editor">${rows.join('')}</div></body></html>`;
  fs.writeFileSync(out, page);
}

main().catch((e) => { console.error(`error: ${e && e.stack ? e.stack : e}`); process.exit(1); });
