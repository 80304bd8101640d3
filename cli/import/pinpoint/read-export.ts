/**
 * Reads what a team exported from Pinpoint: `endpoints/` (an export job's files, newline-delimited
 * JSON, gzipped or not), and one API response per file in `segments/`, `journeys/` and
 * `templates/`. A file or line that is not what it should be is reported with its place and left
 * out; the rest is imported.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type * as z from 'zod';
import { EmailTemplateResponse, Endpoint, JourneyResponse, SegmentResponse } from './shapes.ts';

export interface ExportFile<T> {
  /** Relative to the export folder: `journeys/welcome.json`. */
  readonly file: string;
  readonly value: T;
}

export interface PinpointExport {
  readonly endpoints: readonly Endpoint[];
  readonly segments: readonly ExportFile<SegmentResponse>[];
  readonly journeys: readonly ExportFile<JourneyResponse>[];
  readonly templates: readonly ExportFile<EmailTemplateResponse>[];
  /** Files and lines left out, with why. */
  readonly unreadable: readonly string[];
}

const filesIn = (dir: string, folder: string) =>
  existsSync(join(dir, folder))
    ? readdirSync(join(dir, folder))
        .filter((name) => !name.startsWith('.'))
        .sort()
    : [];

const why = (error: z.ZodError) => error.issues.map((issue) => `${issue.path.join('.') || '(the object)'}: ${issue.message}`).join('; ');

function readJsonFiles<T>(dir: string, folder: string, schema: z.ZodType<T>, unreadable: string[]): ExportFile<T>[] {
  return filesIn(dir, folder)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      const file = `${folder}/${name}`;
      try {
        const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
        // The CLI prints a response with its envelope ({"JourneyResponse": {…}}); the API gives the object itself.
        const [only] = Object.values(raw);
        const body = Object.keys(raw).length === 1 && only && typeof only === 'object' ? only : raw;
        const parsed = schema.safeParse(body);
        if (parsed.success) return [{ file, value: parsed.data }];
        unreadable.push(`${file}: ${why(parsed.error)}`);
      } catch (error) {
        unreadable.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return [];
    });
}

/** Every file under `endpoints/`, in subfolders too: an export job writes its files under a folder of its own. */
function endpointFiles(dir: string): string[] {
  const root = join(dir, 'endpoints');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function readEndpoints(dir: string, unreadable: string[]): Endpoint[] {
  return endpointFiles(dir).flatMap((file) => {
    const bytes = readFileSync(join(dir, file));
    // Gzipped files start with 1f 8b, whatever their name.
    const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
    return text.split('\n').flatMap((line, index) => {
      if (line.trim() === '') return [];
      try {
        const parsed = Endpoint.safeParse(JSON.parse(line));
        if (parsed.success) return [parsed.data];
        unreadable.push(`${file} line ${index + 1}: ${why(parsed.error)}`);
      } catch (error) {
        unreadable.push(`${file} line ${index + 1}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return [];
    });
  });
}

export function readExport(dir: string): PinpointExport {
  if (!existsSync(dir)) throw new Error(`no folder ${dir}`);
  const unreadable: string[] = [];
  return {
    endpoints: readEndpoints(dir, unreadable),
    segments: readJsonFiles(dir, 'segments', SegmentResponse, unreadable),
    journeys: readJsonFiles(dir, 'journeys', JourneyResponse, unreadable),
    templates: readJsonFiles(dir, 'templates', EmailTemplateResponse, unreadable),
    unreadable,
  };
}
