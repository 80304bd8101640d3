/**
 * Where secrets' values live between runs: a JSON file in the local cloud's data directory, so a
 * generated secret (a signing key, say) keeps its value — and its rotations — from one run to the
 * next. The file holds secret values, so only its owner may read it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface StoredVersion {
  readonly versionId: string;
  readonly secretString?: string;
  /** Base64, as the JSON protocol carries it. */
  readonly secretBinary?: string;
  readonly stages: string[];
  /** Epoch milliseconds. */
  readonly createdDate: number;
}

export interface StoredSecret {
  /** Identifies the definition the values were made for; a changed definition starts afresh. */
  readonly fingerprint: string;
  readonly createdDate: number;
  lastChangedDate: number;
  lastAccessedDate?: number;
  versions: StoredVersion[];
}

interface StateFileContent {
  readonly version: 1;
  readonly secrets: Record<string, StoredSecret>;
}

export function readState(path: string | undefined): Map<string, StoredSecret> {
  if (!path || !existsSync(path)) return new Map();
  const content = JSON.parse(readFileSync(path, 'utf8')) as StateFileContent;
  if (content.version !== 1) throw new Error(`${path}: unknown secrets state version ${String(content.version)}`);
  return new Map(Object.entries(content.secrets));
}

export function writeState(path: string | undefined, secrets: ReadonlyMap<string, StoredSecret>): void {
  if (!path) return;
  mkdirSync(dirname(path), { recursive: true });
  const content: StateFileContent = { version: 1, secrets: Object.fromEntries(secrets) };
  // Write then rename, so that a crash mid-write never leaves half a file.
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
