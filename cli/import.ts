/** `lifecycle import pinpoint <dir>`: customers, segments, journeys and templates from an Amazon Pinpoint export. */
import { resolve } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Command } from 'commander';
import { createEmitter } from '#shared/events/emitter.ts';
import { topic as topicSchema } from '#shared/events/fields.ts';
import { REPOSITORY_JOURNEYS_DIR } from '#shared/journeys/load-journeys.ts';
import { REPOSITORY_TEMPLATES_DIR } from '#shared/outreach/render.ts';
import { REPOSITORY_SEGMENTS_DIR } from '#shared/segments/load-segments.ts';
import { IMPORT_SOURCE, importPinpoint, type ImportReport } from './import/pinpoint/index.ts';
import { printJson, printTable, reportErrors } from './output.ts';
import { progressBar } from './progress.ts';
import { resolveTarget, withTargetOptions, type TargetOptions } from './target.ts';

interface PinpointOptions extends TargetOptions {
  readonly dryRun?: boolean;
  readonly journeysOut?: string;
  readonly segmentsOut?: string;
  readonly templatesOut?: string;
  readonly topic: string;
  readonly json?: boolean;
}

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([key, count]) => `${key} ${count}`)
    .join(', ') || 'none';

function printReport(report: ImportReport): void {
  const verb = report.dryRun ? 'Would put' : 'Put';
  console.log(
    `${report.dryRun ? 'Dry run: nothing was written or sent.\n' : ''}Endpoints: ${report.endpoints.endpoints} (${counts(report.endpoints.byChannel)}); on channels not sent on here, kept as attributes: ${report.endpoints.otherChannels}`,
  );
  console.log(
    `Customers: ${report.customers}, ${report.endpoints.optedOut} of them opted out of email; ${verb.toLowerCase()} ${report.events} events on the bus`,
  );
  if (Object.keys(report.endpoints.skipped).length > 0) console.log(`Endpoints left out: ${counts(report.endpoints.skipped)}`);
  if (report.endpoints.valuesDropped > 0)
    console.log(`Attribute values not kept (empty, over 500 characters, control characters): ${report.endpoints.valuesDropped}`);
  for (const each of report.rejected) console.log(`Customer ${each.customer} not imported: ${each.reason}`);
  console.log('');
  const outcome = (file: ImportReport['files'][number]) => (report.dryRun && file.outcome === 'written' ? 'would write' : file.outcome);
  printTable(
    ['kind', 'from', 'name', 'outcome', 'deployable', 'issues'],
    report.files.map((file) => [
      file.kind,
      file.source,
      file.name,
      outcome(file),
      file.deployable === undefined ? '' : file.deployable ? 'yes' : 'no',
      file.issues.length,
    ]),
  );
  for (const file of report.files.filter((each) => each.issues.length > 0)) {
    console.log(`\n${file.source} → ${file.kind} ${file.name}`);
    for (const issue of file.issues) console.log(`  ${issue.blocking ? 'not translated' : 'note'}: ${issue.text}`);
  }
  for (const line of report.unreadable) console.log(`unreadable: ${line}`);
}

function pinpointCommand(): Command {
  const command = new Command('pinpoint')
    .description('Import an Amazon Pinpoint export: endpoints as customers (through the bus), segments, journeys and email templates as files')
    .argument('<dir>', 'holds endpoints/ (export job files, .gz or not), segments/*.json, journeys/*.json, templates/*.json')
    .option('--dry-run', 'write nothing and send nothing; print what would be done')
    .option('--journeys-out <dir>', 'where journey files go (default: workflows/journeys)')
    .option('--segments-out <dir>', 'where segment files go (default: workflows/segments)')
    .option('--templates-out <dir>', 'where templates go (default: shared/outreach/templates)')
    .option('--topic <topic>', "the consent topic of the imported journeys' emails", 'newsletter')
    .option('--json', 'print the report as JSON');
  return withTargetOptions(command).action((dir: string, options: PinpointOptions) =>
    reportErrors(async () => {
      const topic = topicSchema.parse(options.topic);
      // A dry run sends nothing, so it needs no cloud to talk to.
      const target = options.dryRun ? undefined : await resolveTarget(options);
      const client = target && new EventBridgeClient(target.clientConfig);
      const emitter = target && client && createEmitter({ client, eventBusName: target.busName, source: IMPORT_SOURCE });
      let bar: ReturnType<typeof progressBar> | undefined;
      try {
        const report = await importPinpoint(
          {
            dir: resolve(dir),
            journeysOut: options.journeysOut ? resolve(options.journeysOut) : REPOSITORY_JOURNEYS_DIR,
            segmentsOut: options.segmentsOut ? resolve(options.segmentsOut) : REPOSITORY_SEGMENTS_DIR,
            templatesOut: options.templatesOut ? resolve(options.templatesOut) : REPOSITORY_TEMPLATES_DIR,
            topic,
            dryRun: options.dryRun === true,
          },
          {
            emit: (events) => (emitter ? emitter.emit(events) : Promise.reject(new Error('a dry run sends nothing'))),
            onProgress: (done, total) => {
              bar ??= progressBar(total, options.json, options.dryRun ? 'Checking customers' : 'Importing customers', 'customers');
              bar.update(done);
            },
          },
        );
        bar?.stop();
        if (options.json) printJson(report);
        else printReport(report);
      } finally {
        client?.destroy();
      }
    }),
  );
}

export function importCommand(): Command {
  return new Command('import').description('Import from other systems').addCommand(pinpointCommand());
}
