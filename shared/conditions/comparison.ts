/** The numeric comparisons (`gt`, `gte`, `lt`, `lte`, `equals`) shared by several condition forms. */
import { NUMERIC_OPERATORS, type NumericOperator } from './types.ts';

/** Any object that may carry numeric comparisons beside other keys (a counter condition, `count`). */
export type NumericComparisons = { readonly [K in NumericOperator]?: number };

/** The one comparison present, or undefined when there is none. */
export function numericComparisonOf(comparisons: NumericComparisons): { operator: NumericOperator; operand: number } | undefined {
  for (const operator of NUMERIC_OPERATORS) {
    const operand = comparisons[operator];
    if (operand !== undefined) return { operator, operand };
  }
  return undefined;
}

/** True when `value` satisfies the comparison present; false when there is none. */
export function compareNumber(value: number, comparisons: NumericComparisons): boolean {
  const comparison = numericComparisonOf(comparisons);
  if (!comparison) return false;
  const { operator, operand } = comparison;
  switch (operator) {
    case 'gt':
      return value > operand;
    case 'gte':
      return value >= operand;
    case 'lt':
      return value < operand;
    case 'lte':
      return value <= operand;
    case 'equals':
      return value === operand;
  }
}

export const OPERATOR_SYMBOLS: Readonly<Record<NumericOperator, string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=', equals: '=' };
