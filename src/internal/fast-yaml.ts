// A fast path for cdk8s's Yaml.stringify with byte-identical output.
//
// Serializing is most of the time of synthesizing many pools: the yaml package builds a document
// tree for every object. The manifests are plain maps, lists, strings, whole numbers and
// booleans, which this writes directly in the yaml package's block style (two-space indentation,
// indented sequences, `{}` and `[]` for empty collections). How each distinct string and key is
// written (plain or quoted) is still decided by the yaml package itself, once per distinct
// string. Anything else (multi-line strings, fractional numbers, nulls, lists in lists, unusual
// keys) makes the whole document go through the yaml package as before.

type Stringify = (...docs: any[]) => string;

class Unsupported extends Error {}

const NOT_SUPPORTED = new Unsupported();

/** How many documents took the fast path and how many went through the yaml package. */
export interface FastYamlStats {
  fast: number;
  fallback: number;
}

/** Returns a Yaml.stringify equivalent that takes the fast path where it can. */
export function fastStringify(original: Stringify, stats: FastYamlStats = { fast: 0, fallback: 0 }): Stringify {
  const scalars = new Map<string, string>();
  const keys = new Map<string, string>();

  const scalar = (text: string): string => {
    let out = scalars.get(text);
    if (out === undefined) {
      const rendered = original(text);
      // One line, then the newline the yaml package ends a document with.
      out = rendered.indexOf('\n') === rendered.length - 1 ? rendered.slice(0, -1) : '';
      scalars.set(text, out);
    }
    if (out === '') throw NOT_SUPPORTED;
    return out;
  };

  const key = (text: string): string => {
    let out = keys.get(text);
    if (out === undefined) {
      const rendered = original({ [text]: 0 });
      out = rendered.endsWith(': 0\n') && rendered.indexOf('\n') === rendered.length - 1 ? rendered.slice(0, -4) : '';
      keys.set(text, out);
    }
    if (out === '') throw NOT_SUPPORTED;
    return out;
  };

  const value = (v: unknown): string | undefined => {
    if (typeof v === 'string') return scalar(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw NOT_SUPPORTED;
      return String(v);
    }
    if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.keys(v).length === 0 ? '{}' : undefined;
    }
    throw NOT_SUPPORTED;
  };

  const map = (obj: { [k: string]: unknown }, pad: string, first: string, out: string[]): void => {
    let lead = first;
    for (const [k, v] of Object.entries(obj)) {
      if (v === undefined) throw NOT_SUPPORTED;
      const name = key(k);
      const inline = value(v);
      if (inline !== undefined) {
        out.push(`${lead}${name}: ${inline}\n`);
      } else {
        out.push(`${lead}${name}:\n`);
        if (Array.isArray(v)) seq(v, `${pad}  `, out);
        else map(v as { [k: string]: unknown }, `${pad}  `, `${pad}  `, out);
      }
      lead = pad;
    }
  };

  const seq = (list: unknown[], pad: string, out: string[]): void => {
    for (const item of list) {
      const inline = value(item);
      if (inline !== undefined) out.push(`${pad}- ${inline}\n`);
      else if (Array.isArray(item)) throw NOT_SUPPORTED;
      else map(item as { [k: string]: unknown }, `${pad}  `, `${pad}- `, out);
    }
  };

  const document = (doc: unknown): string => {
    if (doc === undefined) return '\n';
    if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && Object.getPrototypeOf(doc) === Object.prototype
      && Object.keys(doc).length > 0) {
      try {
        const out: string[] = [];
        map(doc as { [k: string]: unknown }, '', '', out);
        stats.fast++;
        return out.join('');
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
      }
    }
    stats.fallback++;
    return original(doc);
  };

  return (...docs: any[]) => docs.map(document).join('---\n');
}
