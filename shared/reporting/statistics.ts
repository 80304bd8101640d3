/**
 * The few statistics a report needs, each returning null when there is nothing to compute from,
 * so that an empty data set never turns into NaN.
 */

/** numerator / denominator, or null when the denominator is zero. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function mean(values: readonly number[]): number | null {
  return values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : null;
}

/**
 * The p-th percentile (p in [0, 1]) by linear interpolation between closest ranks: the value at
 * position p × (n − 1) of the sorted values. The 50th percentile of an even count is the mean of
 * the two middle values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = Math.min(1, Math.max(0, p)) * (sorted.length - 1);
  const below = Math.floor(position);
  const lower = sorted[below] ?? 0;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? lower;
  return lower + (upper - lower) * (position - below);
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 0.5);
}

/** Groups values by a key, keeping the order in which keys first appear. */
export function groupBy<T, K>(values: readonly T[], keyOf: (value: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const value of values) {
    const key = keyOf(value);
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

/**
 * The 95% confidence interval of a lift ((treatment rate − holdout rate) / holdout rate), from the
 * normal approximation of the log of the rate ratio; null when either group has no conversion, or
 * every member of both converted (the approximation needs some of each).
 * @example liftInterval({ entered: 900, converted: 90 }, { entered: 100, converted: 5 }) // ≈ { low: -0.17, high: 3.8 }
 */
export function liftInterval(
  treatment: { entered: number; converted: number },
  holdout: { entered: number; converted: number },
): { low: number; high: number } | null {
  const { entered: n1, converted: a } = treatment;
  const { entered: n2, converted: c } = holdout;
  if (a === 0 || c === 0 || (a === n1 && c === n2)) return null;
  const logRatio = Math.log(a / n1 / (c / n2));
  const standardError = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2);
  return { low: Math.exp(logRatio - 1.96 * standardError) - 1, high: Math.exp(logRatio + 1.96 * standardError) - 1 };
}
