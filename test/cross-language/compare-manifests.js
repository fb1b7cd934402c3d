#!/usr/bin/env node
// Compares the manifests that the TypeScript, Python and Go examples synthesized.
//
//   node compare-manifests.js OUTDIR REFERENCE OTHER...
//
// OUTDIR/<language>/ holds each language's synth output (one .k8s.yaml file per chart). Every
// language must produce the same files as REFERENCE. A file passes when it is byte-identical; if it
// is not, its YAML documents are parsed and compared as a set (so that only the document order
// may differ), and the objects that differ are listed. Exits 1 on any difference.
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const [outdir, reference, ...others] = process.argv.slice(2);
if (!outdir || !reference || others.length === 0) {
  console.error('usage: compare-manifests.js OUTDIR REFERENCE OTHER...');
  process.exit(2);
}

function listFiles(dir) {
  const files = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else files.push(child);
    }
  };
  walk('');
  return files.sort();
}

function documents(file) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
  }
  return docs.map((doc) => doc.toJS()).filter((obj) => obj !== null && obj !== undefined);
}

// Canonical JSON: keys sorted, so that two equal objects have the same text.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function objectId(obj) {
  const md = obj.metadata ?? {};
  return `${obj.apiVersion}/${obj.kind} ${md.namespace ? `${md.namespace}/` : ''}${md.name}`;
}

// The first path at which two values differ, for the report.
function firstDifference(a, b, at = '') {
  if (canonical(a) === canonical(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference(a[k], b[k], Array.isArray(a) ? `${at}[${k}]` : `${at}.${k}`);
      if (d) return d;
    }
  }
  return `${at || '.'}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`;
}

const refDir = path.join(outdir, reference);
const refFiles = listFiles(refDir);
if (refFiles.length === 0) {
  console.error(`${reference}: no manifests in ${refDir}`);
  process.exit(1);
}
const refObjects = new Map(refFiles.map((f) => [f, documents(path.join(refDir, f))]));
const count = [...refObjects.values()].reduce((n, objs) => n + objs.length, 0);
const summary = [`${reference}: ${count} objects in ${refFiles.length} file(s) (reference)`];
let failed = false;

for (const lang of others) {
  const dir = path.join(outdir, lang);
  const files = fs.existsSync(dir) ? listFiles(dir) : [];
  const problems = [];
  let n = 0;
  let reordered = false;

  const missing = refFiles.filter((f) => !files.includes(f));
  const extra = files.filter((f) => !refFiles.includes(f));
  if (missing.length) problems.push(`missing file(s): ${missing.join(', ')}`);
  if (extra.length) problems.push(`extra file(s): ${extra.join(', ')}`);

  for (const f of refFiles.filter((file) => files.includes(file))) {
    const objs = documents(path.join(dir, f));
    n += objs.length;
    if (fs.readFileSync(path.join(dir, f)).equals(fs.readFileSync(path.join(refDir, f)))) continue;

    // Not byte-identical: compare the documents as a set.
    const ref = refObjects.get(f);
    const refTexts = ref.map(canonical).sort();
    const texts = objs.map(canonical).sort();
    if (refTexts.length === texts.length && refTexts.every((t, i) => t === texts[i])) {
      reordered = true;
      continue;
    }
    const refById = new Map(ref.map((o) => [objectId(o), o]));
    const byId = new Map(objs.map((o) => [objectId(o), o]));
    for (const [id, o] of refById) {
      if (!byId.has(id)) problems.push(`${f}: missing ${id}`);
      else if (canonical(o) !== canonical(byId.get(id))) {
        problems.push(`${f}: ${id} differs at ${firstDifference(o, byId.get(id))}`);
      }
    }
    for (const id of byId.keys()) if (!refById.has(id)) problems.push(`${f}: extra ${id}`);
    if (problems.length === 0) problems.push(`${f}: the documents differ (same names, duplicated objects?)`);
  }

  if (problems.length) {
    failed = true;
    summary.push(`${lang}: ${n} objects, DIFFERENT from ${reference}`);
    for (const p of problems.slice(0, 20)) summary.push(`    ${p}`);
    if (problems.length > 20) summary.push(`    ... and ${problems.length - 20} more`);
  } else {
    summary.push(`${lang}: ${n} objects, identical${reordered ? ' (after sorting the documents; the files differ in order or formatting)' : ' (byte-for-byte)'}`);
  }
}

console.log(summary.join('\n'));
process.exit(failed ? 1 : 0);
