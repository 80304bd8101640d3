/**
 * A journey's fingerprint: a hash of everything but its version number. The repository keeps each
 * journey's version and fingerprint in `workflows/journeys.lock.json`, and a test fails
 * when a journey changed but its version did not — an edited journey deploys as a new version,
 * while the runs that started on the old one finish on it.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { JourneyDefinition } from './definition.ts';

/** JSON with object keys sorted, so the same definition always hashes the same. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stable((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function journeyFingerprint(journey: JourneyDefinition): string {
  const { version: _version, ...rest } = journey;
  return createHash('sha256').update(stable(rest)).digest('hex').slice(0, 16);
}

/** The lock file that belongs to a journeys folder: `journeys.lock.json` beside it. */
export const lockFile = (journeysDir: string): string => join(journeysDir, '..', 'journeys.lock.json');

export type VersionLock = Record<string, { readonly version: number; readonly fingerprint: string }>;

/** Problems with the lock: a journey changed without a new version, or is missing from the lock. */
export function lockProblems(journeys: readonly JourneyDefinition[], lock: VersionLock): string[] {
  return journeys.flatMap((journey) => {
    const locked = lock[journey.name];
    const fingerprint = journeyFingerprint(journey);
    if (!locked) return [`journey ${journey.name} is not in journeys.lock.json: run npx lifecycle journey lock`];
    if (journey.version < locked.version) return [`journey ${journey.name} went back from version ${locked.version} to ${journey.version}`];
    if (journey.version === locked.version && fingerprint !== locked.fingerprint) {
      return [`journey ${journey.name} changed but is still version ${journey.version}: raise its version, then run npx lifecycle journey lock`];
    }
    return [];
  });
}

export function lockFor(journeys: readonly JourneyDefinition[]): VersionLock {
  return Object.fromEntries(journeys.map((journey) => [journey.name, { version: journey.version, fingerprint: journeyFingerprint(journey) }]));
}
