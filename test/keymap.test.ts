import * as fs from 'fs';
import * as path from 'path';
import { ChartVersion } from '../src';
import { isRenamedProp, keyForProp, propForKey } from '../src/helm/keymap';
import { allKnownPaths, chartValueKeys } from '../src/helm/schema';

/**
 * [values key, typed prop] of every row of docs/migration.md's key table whose typed prop is a
 * plain prop path: the users' documentation is the specification the keymap must agree with.
 */
function documentedPairs(): [string, string][] {
  const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'migration.md'), 'utf8');
  const start = doc.indexOf('## Every values key and the prop it becomes');
  const table = doc.slice(start, doc.indexOf('\n## ', start + 10));
  const pairs: [string, string][] = [];
  for (const line of table.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const key = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    const prop = /^`([a-zA-Z][\w.]*)`/.exec(cells[4] ?? '')?.[1];
    if (key && prop) pairs.push([key, prop]);
  }
  return pairs;
}
const PAIRS = documentedPairs();
const RENAMED = PAIRS.filter(([key, prop]) => key !== prop);

describe('the keymap of typed props and values keys', () => {
  test('the key table of docs/migration.md is read (it is the specification)', () => {
    expect(PAIRS.length).toBeGreaterThan(120);
    expect(RENAMED.length).toBeGreaterThan(30);
  });

  test.each(PAIRS)('%s: errors about the prop %s name this key (or the map it belongs to)', (key, prop) => {
    const named = keyForProp(prop);
    expect(key === named || key.startsWith(`${named}.`)).toBe(true);
  });

  test.each(RENAMED)('%s <- %s: paths below a renamed prop are renamed with it', (_key, prop) => {
    const named = keyForProp(prop);
    expect(keyForProp(`${prop}[0].name`)).toBe(`${named}[0].name`);
    expect(keyForProp(`${prop} (label key)`)).toBe(`${named} (label key)`);
    expect(isRenamedProp(prop)).toBe(named !== prop);
  });

  test('the longest prefix wins, and only whole segments match', () => {
    expect(keyForProp('common.podLabels.team')).toBe('global.podLabels.team');
    expect(keyForProp('common.caBundle.secretName')).toBe('global.tls.caBundleSecret.name');
    expect(keyForProp('agent.replicasX')).toBe('agent.replicasX');
    expect(keyForProp('tokenTtl')).toBe('tokenTtl');
    expect(propForKey('global.tls.caBundleSecret.name')).toBe('common.caBundle.secretName');
    expect(propForKey('otelX')).toBe('otelX');
  });

  test('props and keys spelled alike are left alone', () => {
    for (const same of ['agent.url', 'agent.image.tag', 'task.job.backoffLimit', 'rbac.rules[0].verbs', 'nameOverride']) {
      expect(keyForProp(same)).toBe(same);
      expect(propForKey(same)).toBe(same);
      expect(isRenamedProp(same)).toBe(false);
    }
  });

  test.each(ChartVersion.all().map((v) => [v.version, v] as const))('chart %s: every values key survives the round trip through its prop path', (_v, version) => {
    const keys = [...new Set([...chartValueKeys(version._profile), ...allKnownPaths(version._profile)])];
    expect(keys.length).toBeGreaterThan(100);
    expect(keys.filter((key) => keyForProp(propForKey(key)) !== key)).toEqual([]);
  });

  test('every values key of the table is a key of some chart version', () => {
    const all = ChartVersion.all().flatMap((v) => [...allKnownPaths(v._profile), ...chartValueKeys(v._profile)]);
    expect(PAIRS.map(([key]) => key).filter((key) => !all.includes(key))).toEqual([]);
  });
});
