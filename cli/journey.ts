/** `lifecycle journey list | stats | launch | lock`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Command } from 'commander';
import { loadDefinitions, readLock } from '#infra/definitions.ts';
import { triggerEvents, type JourneyDefinition } from '#shared/journeys/definition.ts';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { allSteps, measuresLift } from '#shared/journeys/definition.ts';
import { lockFile, lockFor, lockProblems } from '#shared/journeys/fingerprint.ts';
import { keepVersions } from '#shared/journeys/versions.ts';
import type { LaunchReport } from '#shared/journeys/launch.ts';
import { REPOSITORY_JOURNEYS_DIR } from '#shared/journeys/load-journeys.ts';
import { readStats } from '#shared/journeys/metrics.ts';
import { formatReasons } from '#shared/reporting/format.ts';
import { printJson, printTable, reportErrors } from './output.ts';
import { journeyCheckCommand } from './journey-check.ts';
import { participantCommands } from './journey-participant.ts';
import { customerIdsFromCsv, launch, newLaunchId } from './launch-api.ts';
import { resolveTarget, withTargetOptions, type TargetOptions } from './target.ts';

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

function triggerOf(trigger: JourneyDefinition['trigger']): string {
  if ('event' in trigger) return `event ${triggerEvents(trigger).join(' or ')}`;
  if ('segment' in trigger) return `segment ${trigger.segment}${trigger.schedule ? ` (${trigger.schedule})` : ''}`;
  return 'manual launch';
}

/** Customer ids from a CSV file: the first column, a header row left out. */
export function readCustomerIds(file: string): string[] {
  return customerIdsFromCsv(readFileSync(file, 'utf8'));
}

function listCommand(): Command {
  return new Command('list')
    .description('The journeys in the repository: trigger, version, steps')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }) =>
      reportErrors(async () => {
        const { journeys, notDeployable } = await loadDefinitions();
        if (options.json) return printJson(journeys);
        printTable(
          ['journey', 'version', 'trigger', 'goals', 'description'],
          journeys.map((journey) => [journey.name, journey.version, triggerOf(journey.trigger), journey.exit.goals.join(', ') || '-', journey.description]),
        );
        for (const journey of notDeployable) console.log(`\nnot deployed until fixed: ${journey.name} (${journey.file}): ${journey.reasons.join('; ')}`);
      }),
    );
}

function statsCommand(): Command {
  const command = new Command('stats')
    .description(
      'Entered, active, completed, converted, exited, not entered and why; messages per step (sent, deferred, skipped and why); holdout versus treatment and the lift',
    )
    .argument('<journey>', 'the journey name')
    .option('--version <n>', "the journey version (default: the repository's)")
    .option('--json', 'print as JSON');
  return withTargetOptions(command).action((name: string, options: TargetOptions & { version?: string; json?: boolean }) =>
    reportErrors(async () => {
      const { journeys } = await loadDefinitions();
      const journey = journeys.find((candidate) => candidate.name === name);
      if (!journey) throw new Error(`no journey ${name}; see lifecycle journey list`);
      const target = await resolveTarget(options);
      const client = new DynamoDBClient(target.clientConfig);
      const stats = await readStats(
        { ddb: createDocumentClient(client), tableName: target.tableName },
        name,
        Number(options.version ?? journey.version),
        measuresLift(journey),
      );
      client.destroy();
      if (options.json) return printJson(stats);
      console.log(`Journey ${stats.journey} v${stats.version}`);
      printTable(
        ['entered', 'active', 'completed', 'converted', 'left', 'failed'],
        [[stats.entered, stats.active, stats.completed, stats.converted, stats.left, stats.failed]],
      );
      if (Object.keys(stats.notEntered).length > 0) console.log(`not entered: ${formatReasons(stats.notEntered)}`);
      if (stats.measuresLift) {
        console.log('\nHoldout versus treatment');
        printTable(
          ['group', 'entered', 'converted', 'conversion'],
          [
            ['treatment', stats.treatment.entered, stats.treatment.converted, percent(stats.treatment.rate)],
            ['holdout', stats.holdout.entered, stats.holdout.converted, percent(stats.holdout.rate)],
          ],
        );
        console.log(`lift: ${stats.lift === undefined ? 'not measurable yet (no holdout conversions)' : percent(stats.lift)}`);
      }
      if (Object.keys(stats.variants).length > 0) {
        console.log('\nSplit variants');
        printTable(
          ['variant', 'entered', 'converted'],
          Object.entries(stats.variants).map(([variant, counts]) => [variant, counts.entered, counts.converted]),
        );
      }
      console.log('\nMessages per step');
      // Every send step, so that a step whose emails were all skipped still shows, with why.
      const steps = [
        ...new Set([
          ...allSteps(journey.steps)
            .filter((each) => 'send' in each)
            .map((each) => each.id),
          ...Object.keys(stats.messages),
        ]),
      ];
      printTable(
        ['step', 'sent', 'delivered', 'opened', 'clicked', 'deferred', 'skipped'],
        steps.map((step) => {
          const counts = stats.messages[step];
          return [
            step,
            counts?.sent ?? 0,
            counts?.delivered ?? 0,
            counts?.opened ?? 0,
            counts?.clicked ?? 0,
            counts?.deferred ?? 0,
            formatReasons(counts?.skipped ?? {}),
          ];
        }),
      );
    }),
  );
}

interface LaunchOptions extends TargetOptions {
  readonly segment?: string;
  readonly customers?: string;
  readonly launchId?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** A dry run that would start no one, said in words with what kept each customer out (rather than an empty table). */
function nobodyWouldEnter(report: LaunchReport): string {
  if (report.considered === 0) return 'Nobody would enter: the audience has no customers.';
  const reasons = [
    ...Object.entries(report.ineligibleBy)
      .sort(([, a], [, b]) => b - a)
      .map(([reason, count]) => `${count} not eligible (${reason})`),
    ...(report.alreadyStarted > 0 ? [`${report.alreadyStarted} started before in this launch`] : []),
  ];
  return `Nobody would enter: of ${report.considered} considered, ${reasons.join(', ')}.`;
}

function launchCommand(): Command {
  const command = new Command('launch')
    .description('Start a journey for a segment or a list of customers (resumable: run it again with the same --launch-id)')
    .argument('<journey>', 'the journey name')
    .option('--segment <segment>', 'the segment to launch on')
    .option('--customers <file.csv>', 'customer ids, one a line (the first column of a CSV)')
    .option('--launch-id <id>', 'names the launch; the same id never starts a customer twice (default: a new one)')
    .option('--dry-run', 'list who would enter and which messages each would get; start nothing')
    .option('--json', 'print the report as JSON');
  return withTargetOptions(command).action((name: string, options: LaunchOptions) =>
    reportErrors(async () => {
      if (!options.segment === !options.customers) throw new Error('give either --segment or --customers');
      const { journeys, segments } = await loadDefinitions();
      const journey = journeys.find((candidate) => candidate.name === name);
      if (!journey) throw new Error(`no journey ${name}; see lifecycle journey list`);
      const segment = options.segment ? segments.find((candidate) => candidate.name === options.segment) : undefined;
      if (options.segment && !segment) throw new Error(`no segment ${options.segment}; see lifecycle segment list`);
      const target = await resolveTarget(options);
      const customerIds = options.customers ? readCustomerIds(options.customers) : undefined;
      const launchId = options.launchId ?? newLaunchId(new Date());
      const audience = customerIds ? { customerIds } : { segment: segment as NonNullable<typeof segment> };
      const spinner = options.dryRun ? undefined : setInterval(() => process.stderr.write('.'), 2000);
      const report = await launch(target, { journey, launchId, audience, dryRun: options.dryRun ?? false }).finally(() => clearInterval(spinner));
      if (options.json) return printJson(report);
      console.log(
        `Launch ${report.launchId} of ${report.journey}: ${report.considered} considered, ${report.started} started, ${report.alreadyStarted} started before, ${report.ineligible} not eligible`,
      );
      for (const [reason, count] of Object.entries(report.ineligibleBy)) console.log(`  not eligible (${reason}): ${count}`);
      if (report.wouldEnter?.length === 0) console.log(`\nDry run: nothing was started. ${nobodyWouldEnter(report)}`);
      else if (report.wouldEnter) {
        console.log('\nDry run: nothing was started. Would enter:');
        printTable(
          ['customer', 'messages'],
          report.wouldEnter.map((entry) => [
            entry.customerId,
            entry.messages.map((message) => `${message.template}${message.note ? ` (${message.note})` : ''}`).join('; ') || '-',
          ]),
        );
      }
    }),
  );
}

function lockCommand(): Command {
  return new Command('lock')
    .description("Record each journey's version and fingerprint in workflows/journeys.lock.json, and keep a copy of the version in workflows/journey-versions")
    .action(() =>
      reportErrors(async () => {
        const { journeys } = await loadDefinitions({ checkLock: false });
        // New journeys are what locking is for; a changed one must have a new version first.
        const problems = lockProblems(journeys, readLock() ?? {}).filter((problem) => !problem.includes('not in journeys.lock.json'));
        if (problems.length > 0) throw new Error(problems.join('\n'));
        const file = lockFile(REPOSITORY_JOURNEYS_DIR);
        writeFileSync(file, `${JSON.stringify(lockFor(journeys), null, 2)}\n`);
        // Participants finish on the version they entered: each locked version is kept for them.
        const kept = keepVersions(REPOSITORY_JOURNEYS_DIR, journeys);
        console.log(
          `Locked ${journeys.length} journeys in ${relative(process.cwd(), file)}${kept.length > 0 ? `; kept ${kept.map((each) => relative(process.cwd(), each)).join(', ')}` : ''}`,
        );
      }),
    );
}

export function journeyCommand(): Command {
  const command = new Command('journey')
    .description('Journeys')
    .addCommand(listCommand())
    .addCommand(statsCommand())
    .addCommand(launchCommand())
    .addCommand(lockCommand())
    .addCommand(journeyCheckCommand());
  for (const each of participantCommands()) command.addCommand(each);
  return command;
}
