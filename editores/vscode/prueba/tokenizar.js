// Tokenizes .reglas files with the TextMate grammar exactly as VS Code does
// (vscode-textmate + the Oniguruma regex engine compiled to WebAssembly).
// Prints one JSON object: for each file, its tokens with byte offsets into
// the file and their scopes. tests/editor_grammar.rs compares them with what
// the real parser (grammar/reglas.pest) says each piece of text is.
//
// Use: node tokenizar.js GRAMATICA.json ARCHIVO.reglas...
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

async function main() {
  const [grammarPath, ...files] = process.argv.slice(2);
  if (!grammarPath || files.length === 0) {
    console.error('uso: node tokenizar.js GRAMATICA.json ARCHIVO.reglas...');
    process.exit(2);
  }
  const wasm = fs.readFileSync(
    path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  const grammar = await registry.loadGrammar('source.reglas');
  if (!grammar) throw new Error('la gramática no se cargó');
  const out = {};
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    const text = bytes.toString('utf8');
    const tokens = [];
    let ruleStack = vsctm.INITIAL;
    let offset = 0; // byte offset of the current line
    // Lines end in \n; a \r before it belongs to the line, as in VS Code
    // (which strips it: so do we, keeping byte offsets right).
    for (const raw of text.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const r = grammar.tokenizeLine(line, ruleStack, 1000);
      if (r.stoppedEarly) throw new Error(`${file}: la tokenización se detuvo (tiempo)`);
      for (const t of r.tokens) {
        const start = offset + Buffer.byteLength(line.slice(0, t.startIndex));
        const end = offset + Buffer.byteLength(line.slice(0, t.endIndex));
        if (end > start) tokens.push([start, end, t.scopes.slice(1).join(' ')]);
      }
      ruleStack = r.ruleStack;
      offset += Buffer.byteLength(raw) + 1;
    }
    out[file] = tokens;
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  console.error(`error: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
