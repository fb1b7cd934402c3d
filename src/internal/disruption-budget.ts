import { integer, Json } from './pod';
import { invalid } from '../core/errors';

/** One way of setting a PodDisruptionBudget's limit: the prop, the field it fills, the value given. */
export interface BudgetField {
  readonly prop: string;
  readonly field: 'minAvailable' | 'maxUnavailable';
  readonly value: unknown;
  /** A percentage such as "50%" instead of a number of pods. */
  readonly percent?: boolean;
}

const PERCENT = /^(100|[1-9]?[0-9])%$/;

/**
 * The `minAvailable` or `maxUnavailable` of a PodDisruptionBudget from the props at `path`: at
 * most one may be given (the error names the later one in `fields` and the earlier as the
 * conflict); none gives `fallback`.
 */
export function disruptionBudgetSpec(path: string, fields: BudgetField[], fallback: Json): Json {
  const given = fields.filter((f) => f.value !== undefined);
  if (given.length > 1) {
    invalid(`${path}.${given[1].prop}`, given[1].value,
      'nothing, because {0} is set: a PodDisruptionBudget takes minAvailable or maxUnavailable, not both; drop one of them',
      [`${path}.${given[0].prop}`]);
  }
  if (given.length === 0) return fallback;
  const { prop, field, value, percent } = given[0];
  if (percent) {
    if (typeof value !== 'string' || !PERCENT.test(value)) invalid(`${path}.${prop}`, value, 'a percentage from "0%" to "100%"');
  } else {
    integer(`${path}.${prop}`, value as number, 0);
  }
  return { [field]: value };
}
