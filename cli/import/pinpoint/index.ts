/**
 * Import from Amazon Pinpoint: the public face of this module.
 *
 * `importPinpoint` reads an export folder (read-export.ts), writes the templates, segments and
 * journeys it translates as files of this project, and puts the customers on the bus as catalog
 * events through the emitter it is given — the path every event takes — so the profile store
 * applies each once. Nothing is written and nothing is sent on a dry run; the report says what
 * would be.
 *
 * @example
 * const report = await importPinpoint({ dir: 'pinpoint-export', journeysOut, segmentsOut, templatesOut, topic: 'newsletter', dryRun: false }, { emit: (events) => emitter.emit(events) });
 */
import { existsSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Condition } from '#shared/conditions/condition.ts';
import type { EmitInput } from '#shared/events/emitter.ts';
import type { Topic } from '#shared/events/fields.ts';
import { parseEvent } from '#shared/events/parse.ts';
import { customerEvents } from './customer-events.ts';
import { customersFromEndpoints, type EndpointTally } from './endpoints.ts';
import { describeIssue, type Issue } from './issues.ts';
import { translateJourney } from './journeys.ts';
import { readExport } from './read-export.ts';
import { translateSegments } from './segments.ts';
import { translateTemplate } from './templates.ts';
import { writeGroup, yamlFile, type WriteOutcome } from './write-files.ts';

// The translators, each tested on its own.
export { customerEvents } from './customer-events.ts';
export { durationFromIso, rateFromIso } from './durations.ts';
export { customersFromEndpoints, type CustomerImport, type EndpointTally } from './endpoints.ts';
export { handlebarsToLiquid } from './handlebars.ts';
export type { Issue } from './issues.ts';
export { translateJourney, type JourneyContext } from './journeys.ts';
export { readExport } from './read-export.ts';
export { translateSegments } from './segments.ts';
export { EmailTemplateResponse, type Endpoint, type JourneyResponse } from './shapes.ts';
export { translateTemplate } from './templates.ts';

/** The `Source` of the events an import puts on the bus. */
export const IMPORT_SOURCE = 'lifecycle.import.pinpoint';

export interface ImportOptions {
  readonly dir: string;
  readonly journeysOut: string;
  readonly segmentsOut: string;
  readonly templatesOut: string;
  /** The consent topic of the imported journeys' emails (Pinpoint has none). */
  readonly topic: Topic;
  readonly dryRun: boolean;
}

export interface ImportDeps {
  /** Puts events on the bus (the typed emitter's `emit`). */
  emit(events: readonly EmitInput[]): Promise<unknown>;
  /** Customers done so far, of all. */
  onProgress?(done: number, total: number): void;
}

export interface ImportedFile {
  readonly kind: 'template' | 'segment' | 'journey';
  /** Where it came from in the export. */
  readonly source: string;
  readonly name: string;
  /** Where it goes; absent when it could not be written at all. */
  readonly path?: string;
  /** `not written`: what it needs could not be translated (see the issues). */
  readonly outcome: WriteOutcome | 'not written';
  /** Journeys: whether it may be deployed as written. */
  readonly deployable?: boolean;
  /** What could not be carried over; those marked `blocking` keep it from being deployed. */
  readonly issues: readonly (Issue & { readonly text: string })[];
}

export interface ImportReport {
  readonly dryRun: boolean;
  readonly customers: number;
  /** Events put on the bus (or that would be, on a dry run). */
  readonly events: number;
  readonly endpoints: EndpointTally;
  /** Customers whose events break the contract, with why; nothing was sent for them. */
  readonly rejected: readonly { readonly customer: string; readonly reason: string }[];
  readonly files: readonly ImportedFile[];
  readonly unreadable: readonly string[];
}

/**
 * Names the files of `dir` other than the import's own YAML already take (`cart-recovery.ts`): an
 * imported definition of that name would be a second one. A YAML file of the name needs no such
 * care: it is either the same content (a re-run) or reported as a conflict.
 */
const namesTakenIn = (dir: string) =>
  new Set(
    existsSync(dir)
      ? readdirSync(dir)
          .filter((file) => extname(file) !== '.yaml')
          .map((file) => file.slice(0, -extname(file).length))
      : [],
  );

const withText = (issues: readonly Issue[]) => issues.map((issue) => ({ ...issue, text: describeIssue(issue) }));

const CUSTOMERS_PER_CALL = 20;

export async function importPinpoint(options: ImportOptions, deps: ImportDeps): Promise<ImportReport> {
  const exported = readExport(options.dir);
  const files: ImportedFile[] = [];

  const templateNames = new Set<string>();
  const templates = exported.templates.map(({ file, value }) => ({ file, translated: translateTemplate(value, templateNames) }));
  for (const { file, translated } of templates) {
    const folder = join(options.templatesOut, translated.name);
    const outcome = writeGroup(
      Object.entries(translated.files).map(([part, content]) => ({ path: join(folder, 'en', part), content })),
      options.dryRun,
    );
    files.push({ kind: 'template', source: file, name: translated.name, path: folder, outcome, issues: withText(translated.issues) });
  }

  const segments = translateSegments(
    exported.segments.map((each) => each.value),
    namesTakenIn(options.segmentsOut),
  );
  segments.forEach((translated, index) => {
    const source = exported.segments[index]?.file ?? '';
    const path = join(options.segmentsOut, `${translated.name}.yaml`);
    const outcome = translated.segment
      ? writeGroup([{ path, content: yamlFile({ ...translated.segment }, `Imported from Pinpoint (${source}).`, translated.issues) }], options.dryRun)
      : 'not written';
    files.push({ kind: 'segment', source, name: translated.name, ...(translated.segment && { path }), outcome, issues: withText(translated.issues) });
  });

  const bySegmentId = new Map(segments.map((each) => [each.source.Id, each]));
  const context = {
    segments: (id: string): Condition | undefined => bySegmentId.get(id)?.segment?.conditions,
    segmentNames: new Map(segments.map((each) => [each.source.Id, each.name])),
    templates: new Map(templates.map(({ translated }) => [translated.source.TemplateName, translated])),
    topic: options.topic,
  };
  const journeyNames = namesTakenIn(options.journeysOut);
  for (const { file, value } of exported.journeys) {
    const translated = translateJourney(value, context, journeyNames);
    const path = join(options.journeysOut, `${translated.name}.yaml`);
    const outcome = translated.definition
      ? writeGroup([{ path, content: yamlFile(translated.definition, `Imported from Pinpoint (${file}).`, translated.issues) }], options.dryRun)
      : 'not written';
    files.push({
      kind: 'journey',
      source: file,
      name: translated.name,
      ...(translated.definition && { path }),
      outcome,
      deployable: !translated.issues.some((issue) => issue.blocking),
      issues: withText(translated.issues),
    });
  }

  const { customers, tally } = customersFromEndpoints(exported.endpoints);
  const rejected: { customer: string; reason: string }[] = [];
  const valid: EmitInput[][] = [];
  for (const customer of customers) {
    const events = customerEvents(customer);
    const failure = events
      .map((event) => parseEvent({ detailType: event.detailType, source: IMPORT_SOURCE, detail: event.detail }))
      .find((parsed) => !parsed.ok);
    if (failure && !failure.ok) rejected.push({ customer: customer.key, reason: failure.reason });
    else valid.push(events);
  }
  deps.onProgress?.(0, valid.length);
  for (let start = 0; start < valid.length; start += CUSTOMERS_PER_CALL) {
    const chunk = valid.slice(start, start + CUSTOMERS_PER_CALL);
    if (!options.dryRun) await deps.emit(chunk.flat());
    deps.onProgress?.(start + chunk.length, valid.length);
  }
  return { dryRun: options.dryRun, customers: valid.length, events: valid.flat().length, endpoints: tally, rejected, files, unreadable: exported.unreadable };
}
