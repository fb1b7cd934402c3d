import * as fs from 'fs';
import { REFERENCE_VERSIONS, compareManifests, parseManifests, quantityValue, scenarios } from './support/compare';

// The default scenario of chart 0.5.62 (whose NetworkPolicy name is checked below).
const base = parseManifests(fs.readFileSync(scenarios('0.5.62')[0].manifestFile, 'utf8'));
const copy = () => JSON.parse(JSON.stringify(base));
const deployment = (objs: any[]) => objs.find((o) => o.kind === 'Deployment');

describe('reference comparison', () => {
  test('a manifest equals itself', () => {
    expect(compareManifests(copy(), base)).toEqual([]);
  });

  test.each(REFERENCE_VERSIONS)('every reference manifest of chart %s equals itself and not the default scenario of the other version', (version) => {
    const other = REFERENCE_VERSIONS.find((v) => v !== version)!;
    const otherDefault = parseManifests(fs.readFileSync(scenarios(other)[0].manifestFile, 'utf8'));
    for (const scenario of scenarios(version)) {
      const objs = parseManifests(fs.readFileSync(scenario.manifestFile, 'utf8'));
      expect(objs.length).toBeGreaterThan(0);
      expect(compareManifests(JSON.parse(JSON.stringify(objs)), objs)).toEqual([]);
      expect(compareManifests(objs, otherDefault).length).toBeGreaterThan(0);
    }
  });

  test('reports a changed value with its path', () => {
    const objs = copy();
    deployment(objs).spec.replicas = 2;
    expect(compareManifests(objs, base)).toEqual([
      'apps/v1 Deployment scalr scalr-agent.spec.replicas: expected 1, got 2',
    ]);
  });

  test('reports missing and unexpected objects', () => {
    const objs = copy().filter((o: any) => o.kind !== 'NetworkPolicy');
    objs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'scalr' } });
    const diffs = compareManifests(objs, base);
    expect(diffs).toContain('missing object: networking.k8s.io/v1 NetworkPolicy scalr scalr-agent-agent-job-task-network-policy');
    expect(diffs).toContain('unexpected object: v1 ConfigMap scalr x');
  });

  test('list order matters', () => {
    const objs = copy();
    deployment(objs).spec.template.spec.containers[0].env.reverse();
    expect(compareManifests(objs, base).length).toBeGreaterThan(0);
  });

  test('ignores helm labels and the checksum value but not its presence', () => {
    const objs = copy();
    for (const o of objs) delete o.metadata.labels?.['helm.sh/chart'];
    deployment(objs).spec.template.metadata.annotations['checksum/secrets'] = 'other';
    expect(compareManifests(objs, base)).toEqual([]);
    delete deployment(objs).spec.template.metadata.annotations['checksum/secrets'];
    expect(compareManifests(objs, base).length).toBe(1);
  });

  test('treats empty maps, lists and nulls as absent', () => {
    const objs = copy();
    deployment(objs).spec.template.spec.nodeSelector = {};
    deployment(objs).spec.template.spec.tolerations = [];
    deployment(objs).spec.template.spec.affinity = null;
    expect(compareManifests(objs, base)).toEqual([]);
  });

  test('compares quantities by value only where they are quantities', () => {
    const objs = copy();
    deployment(objs).spec.template.spec.containers[0].resources.limits.memory = '0.25Gi';
    deployment(objs).spec.template.spec.containers[0].resources.limits.cpu = '0.5';
    expect(compareManifests(objs, base)).toEqual([]);
    deployment(objs).spec.template.spec.containers[0].resources.limits.memory = '256M';
    expect(compareManifests(objs, base).length).toBe(1);
    // Elsewhere strings are strings: "1" is not 1.
    deployment(objs).spec.template.spec.containers[0].resources.limits.memory = '256Mi';
    deployment(objs).spec.template.spec.terminationGracePeriodSeconds = '360';
    expect(compareManifests(objs, base).length).toBe(1);
  });

  test('parses quantities exactly', () => {
    expect(quantityValue('1Gi')).toEqual(quantityValue('1024Mi'));
    expect(quantityValue('1')).toEqual(quantityValue('1000m'));
    expect(quantityValue('1.5G')).toEqual({ quantity: 1.5e9 });
  });
});
