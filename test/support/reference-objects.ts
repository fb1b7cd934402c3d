/**
 * The objects of one reference scenario (test/fixtures/agent-job-<version>/scenarios/<name>/manifest.yaml),
 * for tests that take their expectations from what the chart renders instead of writing them by hand.
 */
import * as fs from 'fs';
import { parseManifests, Scenario, scenarios } from './compare';
import { ChartVersion } from '../../src';

/** One reference scenario of a chart version; fails when it does not exist. */
export function referenceScenario(version: ChartVersion | string, name: string): Scenario {
  const found = scenarios(String(version)).find((s) => s.name === name);
  if (!found) throw new Error(`no reference scenario ${name} for chart ${version}`);
  return found;
}

/** The objects `helm template` rendered for one reference scenario. */
export function referenceObjects(version: ChartVersion | string, name: string): any[] {
  return parseManifests(fs.readFileSync(referenceScenario(version, name).manifestFile, 'utf8'));
}
