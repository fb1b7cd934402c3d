#!/usr/bin/env node
/*
 * Imports the Kubernetes OpenAPI v3 schemas of the structures users may pass to the library
 * (affinity, tolerations, security contexts, env vars, volumes, containers…) and writes them,
 * translated to JSON Schema that ajv understands, to src/imports/k8s-schema.ts.
 *
 * Regenerate with (from the repository root):
 *
 *   node scripts/import-k8s-schema.js
 *
 * It writes two files:
 * - src/imports/k8s-schema.ts: K8S_VERSION and DEFINITIONS, the JSON Schema definitions (by short
 *   name: Container, Quantity…), read by the error messages of src/internal/k8s-schema.ts;
 * - src/imports/k8s-validators.ts: the validation functions ajv generates from DEFINITIONS
 *   (ajv's standalone code, one export per checked type), so that the library never loads nor
 *   runs ajv's compiler (which takes over half a second for these schemas).
 * `node scripts/import-k8s-schema.js --validators-only` regenerates only the second file from the
 * DEFINITIONS already in the first (no Go needed), for example after an ajv upgrade.
 *
 * The Kubernetes version is the one test/conformance/k8s/go.mod requires (k8s.io/kubernetes), so
 * that the schema matches the API server the conformance tests run. The spec is read from that
 * Go module's api/openapi-spec/v3/ directory, located with `go mod download -json` (which needs
 * only the Go module proxy, and nothing at all once the module is in the module cache: it works
 * offline with GOPROXY=off); without `go`, from $GOMODCACHE (or ~/go/pkg/mod). Set
 * K8S_OPENAPI_SPEC_DIR to read the spec from another directory.
 *
 * Plain Node; the only dependency is ajv (a dependency of the library). The output is
 * deterministic (sorted keys, types compiled in a fixed order).
 *
 * Translations (the Kubernetes OpenAPI is not plain JSON Schema):
 * - `description` and `default` are dropped (documentation only), and so are the
 *   x-kubernetes-* extensions that only matter to merges (list/map types, patch strategies, unions).
 * - `format: int32` / `int64` become integer ranges (`minimum`/`maximum`; int64 is limited to the
 *   integers JavaScript represents exactly); the format is kept for the error messages.
 * - IntOrString (`x-kubernetes-int-or-string`, `format: int-or-string`) becomes
 *   `anyOf: [int32, string]`; Quantity becomes `anyOf: [string matching the quantity grammar, number]`.
 * - `allOf: [{$ref}]` (how the spec attaches a description to a reference) becomes the `$ref`;
 *   definitions are named by the last part of their OpenAPI name (io.k8s.api.core.v1.Container is
 *   Container; the script fails if two would have the same name) and references point to
 *   `#/definitions/<name>`.
 * - Objects with `properties` get `additionalProperties: false` (the API server's strict field
 *   validation refuses unknown fields), unless they preserve unknown fields.
 */
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const GO_MOD_DIR = path.join(ROOT, 'test', 'conformance', 'k8s');
const SCHEMA_OUT = path.join(ROOT, 'src', 'imports', 'k8s-schema.ts');
const VALIDATORS_OUT = path.join(ROOT, 'src', 'imports', 'k8s-validators.ts');
const MODULE = 'k8s.io/kubernetes';

const SPEC_FILES = ['api__v1_openapi.json', 'apis__rbac.authorization.k8s.io__v1_openapi.json'];

const ROOTS = [
  ...['Affinity', 'Toleration', 'PodSecurityContext', 'SecurityContext', 'EnvVar', 'EnvFromSource',
    'Volume', 'VolumeMount', 'Container', 'TopologySpreadConstraint', 'ResourceRequirements', 'Probe',
    'LocalObjectReference'].map((n) => `io.k8s.api.core.v1.${n}`),
  'io.k8s.api.rbac.v1.PolicyRule',
];

const INT_OR_STRING = 'IntOrString';
const QUANTITY = 'Quantity';
// <signedNumber><suffix>, as resource.ParseQuantity accepts it.
const QUANTITY_PATTERN = '^([+-]?)(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?$';

const INT32 = { minimum: -2147483648, maximum: 2147483647 };
// int64 values beyond 2^53 cannot be represented exactly by a JavaScript number.
const INT64 = { minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };

// Keywords copied as they are; anything else is either translated below or dropped.
const KEPT = new Set(['type', 'format', 'enum', 'required', 'items', 'properties', 'additionalProperties',
  'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'pattern', 'minimum', 'maximum',
  'minLength', 'maxLength', 'minItems', 'maxItems', 'nullable']);
const DROPPED = new Set(['description', 'default', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type', 'x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key', 'x-kubernetes-unions']);

function main(args) {
  let version;
  let definitions;
  if (args.includes('--validators-only')) {
    ({ version, definitions } = readGenerated());
  } else {
    version = requiredVersion().replace(/^v/, '');
    definitions = importDefinitions(version);
    const text = renderSchema(version, definitions);
    write(SCHEMA_OUT, text, `${Object.keys(definitions).length} definitions (Kubernetes ${version})`);
  }
  write(VALIDATORS_OUT, renderValidators(version, definitions), 'the standalone validators');
}

function write(file, text, what) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  process.stderr.write(`import-k8s-schema: wrote ${what} to ${path.relative(ROOT, file)}, ${text.length} bytes\n`);
}

/** The translated definitions of ROOTS and of everything they reference, by short name, sorted. */
function importDefinitions(version) {
  const specDir = process.env.K8S_OPENAPI_SPEC_DIR || path.join(moduleDir(`v${version}`), 'api', 'openapi-spec', 'v3');
  const lookup = readComponents(specDir);
  const definitions = {};
  const fullNames = {};
  const pending = [...ROOTS];
  while (pending.length > 0) {
    const name = pending.pop();
    const short = shortName(name);
    if (fullNames[short] === name) continue;
    if (fullNames[short] !== undefined) throw new Error(`${name} and ${fullNames[short]} would both be named ${short}`);
    const schema = lookup(name);
    if (schema === undefined) throw new Error(`${name} is not in the OpenAPI spec of ${specDir}`);
    fullNames[short] = name;
    definitions[short] = translateDefinition(short, schema, (ref) => pending.push(ref));
  }
  return sortKeys(definitions);
}

function shortName(name) {
  return name.slice(name.lastIndexOf('.') + 1);
}

/** The k8s.io/kubernetes version test/conformance/k8s/go.mod requires. */
function requiredVersion() {
  const goMod = fs.readFileSync(path.join(GO_MOD_DIR, 'go.mod'), 'utf8');
  for (const line of goMod.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] === 'require') words.shift();
    if (words[0] === MODULE && /^v\d/.test(words[1] || '')) return words[1];
  }
  throw new Error(`no ${MODULE} version in ${GO_MOD_DIR}/go.mod`);
}

/** The module's directory: `go mod download -json`, else the module cache. */
function moduleDir(version) {
  try {
    const out = execFileSync('go', ['mod', 'download', '-json', `${MODULE}@${version}`], {
      cwd: GO_MOD_DIR,
      env: { ...process.env, GOFLAGS: `-mod=mod ${process.env.GOFLAGS || ''}`.trim() },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const info = JSON.parse(out);
    if (info.Error) throw new Error(info.Error);
    if (info.Dir && fs.existsSync(info.Dir)) return info.Dir;
  } catch (e) {
    process.stderr.write(`import-k8s-schema: go mod download failed (${String(e.message).split('\n')[0]}); trying the module cache\n`);
  }
  const cache = process.env.GOMODCACHE || path.join(process.env.GOPATH || path.join(os.homedir(), 'go'), 'pkg', 'mod');
  const dir = path.join(cache, `${MODULE}@${version}`);
  if (!fs.existsSync(dir)) {
    throw new Error(`${MODULE}@${version} is not in ${cache}; run: (cd test/conformance/k8s && GOFLAGS=-mod=mod go mod download ${MODULE}@${version})`);
  }
  return dir;
}

/** A lookup in components.schemas of all spec files that checks that the files agree on it. */
function readComponents(specDir) {
  const specs = SPEC_FILES.map((file) => JSON.parse(fs.readFileSync(path.join(specDir, file), 'utf8')).components.schemas);
  return (name) => {
    const found = specs.map((schemas) => schemas[name]).filter((schema) => schema !== undefined);
    for (const other of found.slice(1)) {
      if (stableJson(strip(other)) !== stableJson(strip(found[0]))) throw new Error(`${name} differs between the spec files`);
    }
    return found[0];
  };
}

function strip(schema) {
  return JSON.parse(JSON.stringify(schema, (k, v) => (k === 'description' ? undefined : v)));
}

function translateDefinition(name, schema, onRef) {
  if (name === QUANTITY) {
    return { anyOf: [{ type: 'string', pattern: QUANTITY_PATTERN }, { type: 'number' }] };
  }
  const out = translate(schema, onRef);
  if (name === INT_OR_STRING && out.anyOf === undefined) throw new Error(`${INT_OR_STRING} was not recognised`);
  return out;
}

function translate(schema, onRef) {
  if (schema.$ref !== undefined) return ref(schema.$ref, onRef);
  // allOf with a single $ref is how the spec attaches a description (and a default) to a reference.
  if (schema.allOf !== undefined && schema.allOf.length === 1 && schema.allOf[0].$ref !== undefined) {
    for (const key of Object.keys(schema)) {
      if (key !== 'allOf' && !DROPPED.has(key)) throw new Error(`unexpected "${key}" next to allOf/$ref`);
    }
    return ref(schema.allOf[0].$ref, onRef);
  }
  if (schema['x-kubernetes-int-or-string'] === true || schema.format === 'int-or-string') {
    return {
      'anyOf': [{ type: 'integer', format: 'int32', ...INT32 }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    };
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue;
    if (!KEPT.has(key)) throw new Error(`unsupported keyword "${key}" in ${JSON.stringify(strip(schema)).slice(0, 200)}`);
    if (key === 'properties') {
      out.properties = {};
      for (const [prop, sub] of Object.entries(value)) out.properties[prop] = translate(sub, onRef);
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = translate(value, onRef);
    } else {
      out[key] = value;
    }
  }
  if (out.type === 'integer') {
    if (out.format === 'int32') Object.assign(out, INT32);
    else if (out.format === 'int64') Object.assign(out, INT64);
    else throw new Error(`integer without int32/int64 format: ${JSON.stringify(out)}`);
  }
  if (out.properties !== undefined && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function ref(target, onRef) {
  const prefix = '#/components/schemas/';
  if (!target.startsWith(prefix)) throw new Error(`unexpected $ref ${target}`);
  const name = target.slice(prefix.length);
  onRef(name);
  return { $ref: `#/definitions/${shortName(name)}` };
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}

function stableJson(value) {
  return JSON.stringify(sortKeys(value));
}

const SCHEMA_START = 'export const DEFINITIONS = ';
const SCHEMA_END = ' as const;';

function renderSchema(version, definitions) {
  // Strict JSON, one line per definition: small, diffs readable, and `--validators-only` can parse it.
  const body = Object.entries(definitions)
    .map(([name, schema]) => `  ${JSON.stringify(name)}: ${JSON.stringify(schema)}`)
    .join(',\n');
  return [
    '// Generated by scripts/import-k8s-schema.js from the Kubernetes OpenAPI v3 spec. Do not edit.',
    '// Regenerate with: node scripts/import-k8s-schema.js',
    `// The JSON Schema of the Kubernetes ${version} structures the library accepts as free-form JSON,`,
    '// with everything they reference (descriptions dropped; int32/int64 as ranges; IntOrString and',
    '// Quantity as anyOf; additionalProperties: false on objects, as the API server\'s strict field',
    '// validation refuses unknown fields). src/imports/k8s-validators.ts is generated from it.',
    '',
    '/** The Kubernetes version the schema comes from. */',
    `export const K8S_VERSION = '${version}';`,
    '',
    '/** JSON Schema definitions, by short name (Container, Quantity…); references are `#/definitions/<name>`. */',
    `${SCHEMA_START}{`,
    body,
    `}${SCHEMA_END}`,
    '',
  ].join('\n');
}

/** K8S_VERSION and DEFINITIONS of the generated src/imports/k8s-schema.ts. */
function readGenerated(file = SCHEMA_OUT) {
  const text = fs.readFileSync(file, 'utf8');
  const version = /export const K8S_VERSION = '([^']+)';/.exec(text)[1];
  const start = text.indexOf(SCHEMA_START) + SCHEMA_START.length;
  const end = text.lastIndexOf(SCHEMA_END);
  return { version, definitions: JSON.parse(text.slice(start, end)) };
}

/** The options the validators are generated with (also used by the test that cross-checks them). */
function ajvOptions() {
  return {
    allErrors: false, // stop at the first error: one message, and less code
    strict: true,
    validateFormats: false, // int32/int64 are enforced as ranges; date-time (ObjectMeta) is not checked
    inlineRefs: false, // one function per definition: Probe or ObjectMeta are not repeated where used
    messages: false, // the library writes its own messages
    validateSchema: false,
    code: { source: true, esm: true, lines: true }, // one statement a line: readable diffs and stack traces
  };
}

function newAjv(definitions, options = ajvOptions()) {
  const Ajv = require('ajv');
  const ajv = new Ajv(options);
  ajv.addVocabulary(['x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields']);
  ajv.addSchema({ $id: 'k8s', definitions });
  return ajv;
}

/** The names of the exported validators: the short names of ROOTS, sorted. */
function rootTypes() {
  return ROOTS.map(shortName).sort();
}

function definitionsHash(definitions) {
  return require('crypto').createHash('sha256').update(JSON.stringify(definitions)).digest('hex');
}

function renderValidators(version, definitions) {
  const standaloneCode = require('ajv/dist/standalone').default;
  const ajv = newAjv(definitions);
  const exports = {};
  for (const type of rootTypes()) exports[type] = `k8s#/definitions/${type}`;
  let code = standaloneCode(ajv, exports);
  if (/\brequire\(|^import /m.test(code)) {
    throw new Error('the standalone code needs ajv at run time (a keyword with a runtime helper): handle it in import-k8s-schema.js');
  }
  // Errors are reported as {instancePath, keyword, params}; the messages come from walking
  // DEFINITIONS along the instance path, so ajv's schemaPath (a tenth of the code) is dropped.
  const before = code.length;
  code = code.replace(/schemaPath:"(?:[^"\\]|\\.)*",/g, '');
  if (code.length === before || code.includes('schemaPath')) throw new Error('could not drop schemaPath from the standalone code');
  return [
    '// Generated by scripts/import-k8s-schema.js with ajv\'s standalone code generation. Do not edit.',
    '// Regenerate with: node scripts/import-k8s-schema.js (or, from the DEFINITIONS of k8s-schema.ts',
    '// only: node scripts/import-k8s-schema.js --validators-only).',
    `// The validators of the Kubernetes ${version} structures of src/imports/k8s-schema.ts, one export per`,
    '// type; each returns true or false and leaves its errors ({instancePath, keyword, params}) in its',
    '// `errors` property.',
    `// ajv ${require('ajv/package.json').version}; DEFINITIONS sha256 ${definitionsHash(definitions)}`,
    '// @ts-nocheck',
    '/* eslint-disable */',
    code,
    '',
  ].join('\n');
}

module.exports = { ROOTS, rootTypes, readGenerated, ajvOptions, newAjv, definitionsHash, SCHEMA_OUT, VALIDATORS_OUT };

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`import-k8s-schema: ${e.message}\n`);
    process.exitCode = 1;
  }
}
