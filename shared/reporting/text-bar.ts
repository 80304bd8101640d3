/** Horizontal bars of block characters for the terminal: `████████░░░░░░░░░░░░`. */

/** A bar `width` characters long, filled in proportion to `share` (clamped to [0, 1]; null is empty). */
export function textBar(share: number | null, width = 20): string {
  const clamped = share === null || !Number.isFinite(share) ? 0 : Math.min(1, Math.max(0, share));
  const filled = Math.round(clamped * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}
