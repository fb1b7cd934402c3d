// Writes the pool of states.ts in each state to dist/<state>/pool.k8s.yaml:
// `npx ts-node main.ts`, then compare dist/before/ with dist/after/ or dist/after-keep-names/.
import { STATES, stateApp } from './states';

for (const state of Object.keys(STATES)) {
  stateApp(state, undefined, `dist/${state}`).synth();
}
