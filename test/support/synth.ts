import { App, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { parseManifests } from './compare';

/** Synthesizes what `build` adds to a fresh app, as YAML, and parses it back. */
export function synthObjects(build: (app: App) => void): any[] {
  const app = Testing.app();
  build(app);
  return parseManifests(app.synthYaml());
}

/** The objects of one chart or construct, as JSON. */
export function objectsOf(scope: Construct): any[] {
  return Testing.synth(scope as any);
}
