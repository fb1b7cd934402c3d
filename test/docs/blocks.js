#!/usr/bin/env node
// Reads the fenced blocks of the documentation and their `<!-- test: ... -->` markers, checks
// them, and writes the bash script that test/docs/run.sh runs. See run.sh for the marker scheme.
//
//   node test/docs/blocks.js ROOT OUT DOC...
//
// writes OUT/blocks/<n>.<ext> (each block's text), OUT/script.sh (the session script) and
// OUT/plan.tsv (one line per block: id, doc:line, kind, detail), and exits 1 with the reasons
// when a block that must be marked is not, a marker is not understood, or a block differs from
// the file it claims to show (same-as=).
'use strict';
const fs = require('fs');
const path = require('path');

const [ROOT, OUT, ...DOCS] = process.argv.slice(2);

/** Languages whose blocks must say whether and how they are tested. */
const MUST_MARK = new Set(['sh', 'bash', 'shell', 'console', 'zsh', 'ts', 'typescript', 'js', 'javascript', 'python', 'py', 'go']);
const BLOCK_KINDS = new Set(['sh', 'file', 'ts', 'skip']);
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const MARKER = /^\s*<!--\s*test:\s*(.*?)\s*-->\s*$/;

const problems = [];
const blocks = [];
const preambles = new Map();

/** `kind rest` of a marker, with its key=value options and the remaining words. */
function parseMarker(text) {
  const [kind, ...words] = text.split(/\s+/);
  const options = {};
  const args = [];
  for (const w of words) {
    const m = /^(same-as|preamble)=(.+)$/.exec(w);
    if (m) options[m[1]] = m[2];
    else args.push(w);
  }
  return { kind, options, args, text };
}

for (const doc of DOCS) {
  const lines = fs.readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
  let pending = []; // markers seen since the last block
  blocks.push({ type: 'doc', doc });
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (marker) {
      const parsed = parseMarker(marker[1]);
      if (parsed.kind === 'do') {
        blocks.push({ type: 'do', doc, line: i + 1, command: marker[1].replace(/^do\s+/, '') });
      } else if (parsed.kind === 'ts-preamble') {
        pending.push(parsed);
      } else if (BLOCK_KINDS.has(parsed.kind)) {
        pending.push(parsed);
      } else {
        problems.push(`${doc}:${i + 1}: marker not understood: ${marker[1]}`);
      }
      continue;
    }
    const fence = FENCE.exec(lines[i]);
    if (!fence) {
      if (lines[i].trim() !== '' && pending.length) {
        problems.push(`${doc}:${i + 1}: a marker must be right before a fenced block (${pending.map((p) => p.text).join('; ')})`);
        pending = [];
      }
      continue;
    }
    const [, indent, ticks, lang] = fence;
    const start = i + 1;
    const body = [];
    for (i++; i < lines.length; i++) {
      if (lines[i].trim() === ticks && lines[i].startsWith(indent)) break;
      body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i].trimStart());
    }
    if (i >= lines.length) problems.push(`${doc}:${start}: the block is not closed`);
    const text = body.join('\n') + '\n';
    const marks = pending;
    pending = [];
    const preamble = marks.find((m) => m.kind === 'ts-preamble');
    const mark = marks.find((m) => m.kind !== 'ts-preamble');
    if (preamble) {
      preambles.set(preamble.args[0] ?? doc, text);
      blocks.push({ type: 'block', doc, line: start, lang, kind: 'preamble', detail: preamble.args[0] ?? doc, text });
      continue;
    }
    if (!mark) {
      if (MUST_MARK.has(lang.toLowerCase())) {
        problems.push(`${doc}:${start}: a \`\`\`${lang} block without a <!-- test: ... --> marker (sh, file PATH, ts, or skip REASON)`);
      }
      continue;
    }
    if (mark.options['same-as']) {
      const file = path.join(ROOT, mark.options['same-as']);
      if (!fs.existsSync(file)) problems.push(`${doc}:${start}: same-as=${mark.options['same-as']}: no such file`);
      else if (fs.readFileSync(file, 'utf8').trimEnd() !== text.trimEnd()) {
        problems.push(`${doc}:${start}: the block differs from ${mark.options['same-as']} (update the doc or the file)`);
      }
    }
    const block = { type: 'block', doc, line: start, lang, kind: mark.kind, text, options: mark.options };
    if (mark.kind === 'skip') {
      if (mark.args.length === 0) problems.push(`${doc}:${start}: skip needs a reason`);
      block.detail = mark.args.join(' ');
    } else if (mark.kind === 'file') {
      if (mark.args.length !== 1) problems.push(`${doc}:${start}: file needs one PATH`);
      block.detail = mark.args[0];
    } else if (mark.kind === 'sh') {
      block.detail = mark.args.join(' ');
      if (block.detail !== '' && block.detail !== 'repo') problems.push(`${doc}:${start}: sh takes no argument but "repo"`);
    } else if (mark.kind === 'ts') {
      block.detail = mark.options.preamble ? `preamble=${mark.options.preamble}` : '';
    }
    blocks.push(block);
  }
  if (pending.length) problems.push(`${doc}: a marker at the end of the file marks no block`);
}

// Relative links and their anchors must exist (GitHub's heading anchors).
const anchorsOf = new Map();
function anchors(file) {
  if (!anchorsOf.has(file)) {
    const text = fs.readFileSync(file, 'utf8').replace(/^(\s*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2\s*$/gm, '');
    const seen = new Map();
    const set = new Set();
    for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
      const base = m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      set.add(n === 0 ? base : `${base}-${n}`);
    }
    anchorsOf.set(file, set);
  }
  return anchorsOf.get(file);
}
for (const doc of DOCS) {
  const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1];
    if (/^[a-z]+:/.test(target)) continue;
    const [file, anchor] = target.split('#');
    const resolved = file === '' ? path.join(ROOT, doc) : path.resolve(path.dirname(path.join(ROOT, doc)), file);
    const line = text.slice(0, m.index).split('\n').length;
    if (!fs.existsSync(resolved)) problems.push(`${doc}:${line}: link to a missing file: ${target}`);
    else if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) problems.push(`${doc}:${line}: link to a missing heading: ${target}`);
  }
}

for (const b of blocks) {
  if (b.kind === 'ts' && b.options.preamble && !preambles.has(b.options.preamble)) {
    problems.push(`${b.doc}:${b.line}: no ts-preamble ${b.options.preamble} before it`);
  }
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

// The session script: one bash process, the blocks in order, as a reader runs them in one terminal.
const q = (s) => `'${String(s).replace(/'/g, "'\\''")}'`;
fs.mkdirSync(path.join(OUT, 'blocks'), { recursive: true });
const script = [
  '# Generated by test/docs/blocks.js: the documentation\'s blocks, in order.',
  'set -eo pipefail',
];
const plan = [];
let n = 0;
for (const b of blocks) {
  if (b.type === 'doc') {
    // Each document starts in a directory of its own, without a venv left active.
    script.push('', `# ---- ${b.doc}`, 'deactivate 2>/dev/null || true', `mkdir -p "$DOCS_WORK"/${q(b.doc)}`, `cd "$DOCS_WORK"/${q(b.doc)}`);
    continue;
  }
  const id = String(++n).padStart(3, '0');
  const where = `${b.doc}:${b.line}`;
  if (b.type === 'do') {
    plan.push([id, where, 'do', b.command]);
    script.push(`__begin ${id}`, b.command, `__end ${id}`);
    continue;
  }
  plan.push([id, where, b.kind, b.detail ?? '']);
  if (b.kind === 'skip' || b.kind === 'preamble') continue;
  const file = path.join(OUT, 'blocks', `${id}.txt`);
  if (b.kind === 'ts') {
    const preamble = b.options.preamble ? preambles.get(b.options.preamble) : '';
    let program = `${preamble}\n${b.text}`;
    // A snippet of a page whose preamble makes the App: synthesize it, as an app's last line does.
    if (/new App\(/.test(program) && !/\.synth\(\)/.test(program)) program += 'app.synth();\n';
    fs.writeFileSync(file, program);
    const name = `docs-snippet-${id}.ts`;
    script.push(`__begin ${id}`, `cp "$BLOCKS/${id}.txt" ${name}`, `npx ts-node ${name}`, `__end ${id}`);
    continue;
  }
  fs.writeFileSync(file, b.text);
  if (b.kind === 'file') {
    script.push(`__begin ${id}`, `mkdir -p "$(dirname ${q(b.detail)})"`, `cp "$BLOCKS/${id}.txt" ${q(b.detail)}`, `__end ${id}`);
  } else if (b.detail === 'repo') {
    script.push(`__begin ${id}`, `__repo_copy`, `(cd "$REPO_COPY" && source "$BLOCKS/${id}.txt")`, `__end ${id}`);
  } else {
    script.push(`__begin ${id}`, `source "$BLOCKS/${id}.txt"`, `__end ${id}`);
  }
}
fs.writeFileSync(path.join(OUT, 'script.sh'), script.join('\n') + '\n');
fs.writeFileSync(path.join(OUT, 'plan.tsv'), plan.map((p) => p.join('\t')).join('\n') + '\n');
