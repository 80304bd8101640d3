import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { DETAIL_TYPES } from '#shared/events/catalog.ts';
import { eventJsonSchema } from '#shared/events/json-schema.ts';

/** Writes one JSON Schema file per event type; returns the paths written. */
export function writeSchemas(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  return DETAIL_TYPES.map((detailType) => {
    const path = join(outDir, `${detailType}.json`);
    writeFileSync(path, `${JSON.stringify(eventJsonSchema(detailType), null, 2)}\n`);
    return path;
  });
}

export function schemasCommand(): Command {
  return new Command('schemas')
    .description('Write the event catalog as JSON Schema, one file per event type')
    .requiredOption('--out <dir>', 'directory to write to')
    .option('--json', 'print the paths written as JSON')
    .action((options: { out: string; json?: boolean }) => {
      const paths = writeSchemas(options.out);
      console.log(options.json ? JSON.stringify(paths) : `Wrote ${paths.length} schemas to ${options.out}`);
    });
}
