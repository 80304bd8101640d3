/**
 * Every version of a journey that participants may still be on: `journey lock` keeps a copy of
 * each locked version in `workflows/journey-versions/<name>.v<version>.json`, beside the journeys
 * folder, and the engine's bundle carries them all, so a participant who entered version 2
 * finishes on version 2 after version 3 is deployed. Remove a file once no participant can be on
 * its version any more (its longest path of waits has passed since the next version went live).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateDefinition } from '../definitions/validate.ts';
import { JourneyDefinition } from './definition.ts';

/** The folder of kept versions that belongs to a journeys folder. */
export const versionsDir = (journeysDir: string): string => join(journeysDir, '..', 'journey-versions');

const fileOf = (dir: string, journey: JourneyDefinition) => join(dir, `${journey.name}.v${journey.version}.json`);

/** The kept versions beside a journeys folder (none when it has no such folder). */
export function loadVersions(journeysDir: string, root = process.cwd()): JourneyDefinition[] {
  const dir = versionsDir(journeysDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => validateDefinition(JourneyDefinition, JSON.parse(readFileSync(join(dir, file), 'utf8')), join(dir, file), root));
}

/** Keeps a copy of each journey's current version; copies already kept are left as they are. Returns the files written. */
export function keepVersions(journeysDir: string, journeys: readonly JourneyDefinition[]): string[] {
  const dir = versionsDir(journeysDir);
  mkdirSync(dir, { recursive: true });
  return journeys.flatMap((journey) => {
    const file = fileOf(dir, journey);
    if (existsSync(file)) return [];
    writeFileSync(file, `${JSON.stringify(journey, null, 2)}\n`);
    return [file];
  });
}
