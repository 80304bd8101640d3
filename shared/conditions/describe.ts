/** Conditions as one line of text for CLI output: `stage in [retain] and orders >= 2`. */
import { OPERATOR_SYMBOLS, numericComparisonOf, type NumericComparisons } from './comparison.ts';
import type { AttributeCondition, Condition, DaysWindow, ScalarValue } from './types.ts';

/** A one-line human description ("stage in [retain] and orders >= 2"), for CLI output. */
export function describe(condition: Condition): string {
  if ('all' in condition) return condition.all.map(describeNested).join(' and ');
  if ('any' in condition) return condition.any.map(describeNested).join(' or ');
  if ('not' in condition) return `not ${describeNested(condition.not)}`;
  if ('stage' in condition) return `stage in ${list(condition.stage)}`;
  if ('attribute' in condition) return describeAttribute(condition);
  if ('counter' in condition) return `${condition.counter} ${comparison(condition)}`;
  if ('score' in condition) return `score ${condition.score} ${comparison(condition)}`;
  if ('revenue' in condition) return `revenue ${condition.revenue} ${comparison(condition)}`;
  if ('lastActive' in condition) return `last active ${window(condition.lastActive)}`;
  if ('firstSeen' in condition) return `first seen ${window(condition.firstSeen)}`;
  if ('consent' in condition) return `consents to ${condition.consent === 'any' ? 'any topic' : condition.consent}`;
  if ('locale' in condition) return `locale in ${list(condition.locale)}`;
  if ('tag' in condition) return `tagged ${condition.tag}`;
  const times = condition.count ? ` ${comparison(condition.count)} times` : '';
  return `event ${condition.event}${times} since entry`;
}

/** Parts of all/any/not are bracketed when they combine parts themselves, so precedence is plain. */
function describeNested(condition: Condition): string {
  const composite = ('all' in condition && condition.all.length > 1) || ('any' in condition && condition.any.length > 1);
  return composite ? `(${describe(condition)})` : describe(condition);
}

function list(value: string | readonly string[]): string {
  return `[${(typeof value === 'string' ? [value] : value).join(', ')}]`;
}

function comparison(comparisons: NumericComparisons): string {
  const found = numericComparisonOf(comparisons);
  return found ? `${OPERATOR_SYMBOLS[found.operator]} ${found.operand}` : '(no comparison)';
}

const show = (value: ScalarValue): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function describeAttribute(condition: AttributeCondition): string {
  const name = `attribute ${condition.attribute}`;
  if (condition.exists !== undefined) return condition.exists ? `${name} exists` : `${name} does not exist`;
  if (condition.equals !== undefined) return `${name} = ${show(condition.equals)}`;
  if (condition.notEquals !== undefined) return `${name} != ${show(condition.notEquals)}`;
  if (condition.in !== undefined) return `${name} in [${condition.in.map(show).join(', ')}]`;
  if (condition.contains !== undefined) return `${name} contains ${show(condition.contains)}`;
  const { gt, gte, lt, lte } = condition;
  return `${name} ${comparison({ gt, gte, lt, lte })}`;
}

function window(days: DaysWindow): string {
  return days.withinDays !== undefined ? `within ${days.withinDays} days` : `more than ${days.olderThanDays} days ago`;
}
