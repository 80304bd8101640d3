/** `lifecycle journey list | stats | launch | lock`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { loadDefinitions, readLock } from '#infra/definitions.ts';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { startNamedExecution } from '#shared/clients/step-functions.ts';
import { allSteps, measuresLift } from '#shared/journeys/definition.ts';
import { lockFile, lockFor, lockProblems } from '#shared/journeys/fingerprint.ts';
import { launchJourney } from '#shared/journeys/launch.ts';
import { REPOSITORY_JOURNEYS_DIR } from '#shared/journeys/load-journeys.ts';
import { readStats } from '#shared/journeys/metrics.ts';
import { formatReasons } from '#shared/reporting/format.ts';
import { countSegment } from '#shared/segments/segment.ts';
import { printJson, printTable, reportErrors } from './output.ts';
import { resolveTarget, withTargetOptions, type TargetOptions } from './target.ts';

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

function triggerOf(trigger: object): string {
  if ('event' in trigger) return `event ${String(trigger.event)}`;
  if ('segment' in trigger) return `segment ${String(trigger.segment)}${'schedule' in trigger && trigger.schedule ? ` (${String(trigger.schedule)})` : ''}`;
  return 'manual launch';
}

/** Customer ids from a CSV file: the first column, a header row left out. */
export function readCustomerIds(file: string): string[] {
  const rows = readFileSync(file, 'utf8').split(/\r?\n/).map((row) => row.split(',')[0]?.trim().replace(/^"|"$/g, '') ?? '').filter(Boolean);
  return /^(customer_?id|id)$/i.test(rows[0] ?? '') ? rows.slice(1) : rows;
}

function listCommand(): Command {
  return new Command('list')
    .description('The journeys in the repository: trigger, version, steps')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }) =>
      reportErrors(async () => {
        const { journeys } = await loadDefinitions();
        if (options.json) return printJson(journeys);
        printTable(['journey', 'version', 'trigger', 'goals', 'description'], journeys.map((journey) => [journey.name, journey.version, triggerOf(journey.trigger), journey.exit.goals.join(', ') || '-', journey.description]));
      }),
    );
}

function statsCommand(): Command {
  const command = new Command('stats')
    .description('Entered, active, completed, converted, exited, not entered and why; messages per step (sent, deferred, skipped and why); holdout versus treatment and the lift')
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
      const stats = await readStats({ ddb: createDocumentClient(client), tableName: target.tableName }, name, Number(options.version ?? journey.version), measuresLift(journey));
      client.destroy();
      if (options.json) return printJson(stats);
      console.log(`Journey ${stats.journey} v${stats.version}`);
      printTable(['entered', 'active', 'completed', 'converted', 'left', 'failed'], [[stats.entered, stats.active, stats.completed, stats.converted, stats.left, stats.failed]]);
      if (Object.keys(stats.notEntered).length > 0) console.log(`not entered: ${formatReasons(stats.notEntered)}`);
      if (stats.measuresLift) {
        console.log('\nHoldout versus treatment');
        printTable(['group', 'entered', 'converted', 'conversion'], [
          ['treatment', stats.treatment.entered, stats.treatment.converted, percent(stats.treatment.rate)],
          ['holdout', stats.holdout.entered, stats.holdout.converted, percent(stats.holdout.rate)],
        ]);
        console.log(`lift: ${stats.lift === undefined ? 'not measurable yet (no holdout conversions)' : percent(stats.lift)}`);
      }
      if (Object.keys(stats.variants).length > 0) {
        console.log('\nSplit variants');
        printTable(['variant', 'entered', 'converted'], Object.entries(stats.variants).map(([variant, counts]) => [variant, counts.entered, counts.converted]));
      }
      console.log('\nMessages per step');
      // Every send step, so that a step whose emails were all skipped still shows, with why.
      const steps = [...new Set([...allSteps(journey.steps).filter((each) => 'send' in each).map((each) => each.id), ...Object.keys(stats.messages)])];
      printTable(
        ['step', 'sent', 'delivered', 'opened', 'clicked', 'deferred', 'skipped'],
        steps.map((step) => {
          const counts = stats.messages[step];
          return [step, counts?.sent ?? 0, counts?.delivered ?? 0, counts?.opened ?? 0, counts?.clicked ?? 0, counts?.deferred ?? 0, formatReasons(counts?.skipped ?? {})];
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
  readonly rate: string;
  readonly json?: boolean;
}

function launchCommand(): Command {
  const command = new Command('launch')
    .description('Start a journey for a segment or a list of customers (resumable: run it again with the same --launch-id)')
    .argument('<journey>', 'the journey name')
    .option('--segment <segment>', 'the segment to launch on')
    .option('--customers <file.csv>', 'customer ids, one a line (the first column of a CSV)')
    .option('--launch-id <id>', 'names the launch; the same id never starts a customer twice (default: a new one)')
    .option('--dry-run', 'list who would enter and which messages each would get; start nothing')
    .option('--rate <n>', 'executions started per second', '50')
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
      const machineArn = (JSON.parse(target.outputs.JourneyMachines ?? '{}') as Record<string, string>)[name];
      if (!machineArn) throw new Error(`the stack has no journey ${name}: deploy it first`);
      const dynamo = new DynamoDBClient(target.clientConfig);
      const sfn = new SFNClient(target.clientConfig);
      const store = { ddb: createDocumentClient(dynamo), tableName: target.tableName, now: target.now, consentMode: target.consentMode };
      const customerIds = options.customers ? readCustomerIds(options.customers) : undefined;
      const total = customerIds?.length ?? (segment ? (await countSegment(store, segment)).members : 0);
      const launchId = options.launchId ?? `launch-${new Date().toISOString().replace(/[^0-9]/g, '').slice(0, 14)}`;
      const bar = options.json ? undefined : new SingleBar({ format: 'Launching [{bar}] {value}/{total} considered, {started} started', noTTYOutput: true, notTTYSchedule: 2000 });
      bar?.start(total, 0, { started: 0 });
      const report = await launchJourney(
        { ...store, ratePerSecond: Number(options.rate), start: (arn, executionName, input) => startNamedExecution(sfn, arn, executionName, input) },
        { journey, machineArn, launchId, audience: customerIds ? { customerIds } : { segment: segment as NonNullable<typeof segment> }, ...(options.dryRun && { dryRun: true }) },
        (progress) => bar?.update(progress.considered, { started: progress.started }),
      );
      bar?.stop();
      dynamo.destroy();
      sfn.destroy();
      if (options.json) return printJson(report);
      console.log(`Launch ${report.launchId} of ${report.journey}: ${report.considered} considered, ${report.started} started, ${report.alreadyStarted} started before, ${report.ineligible} not eligible`);
      for (const [reason, count] of Object.entries(report.ineligibleBy)) console.log(`  not eligible (${reason}): ${count}`);
      if (report.wouldEnter) {
        console.log('\nDry run: nothing was started. Would enter:');
        printTable(['customer', 'messages'], report.wouldEnter.map((entry) => [entry.customerId, entry.messages.map((message) => `${message.template}${message.note ? ` (${message.note})` : ''}`).join('; ') || '-']));
      }
    }),
  );
}

function lockCommand(): Command {
  return new Command('lock')
    .description('Record each journey\'s version and fingerprint in workflows/journeys.lock.json')
    .action(() =>
      reportErrors(async () => {
        const { journeys } = await loadDefinitions({ checkLock: false });
        // New journeys are what locking is for; a changed one must have a new version first.
        const problems = lockProblems(journeys, readLock() ?? {}).filter((problem) => !problem.includes('not in journeys.lock.json'));
        if (problems.length > 0) throw new Error(problems.join('\n'));
        const file = lockFile(REPOSITORY_JOURNEYS_DIR);
        writeFileSync(file, `${JSON.stringify(lockFor(journeys), null, 2)}\n`);
        console.log(`Locked ${journeys.length} journeys in ${relative(process.cwd(), file)}`);
      }),
    );
}

export function journeyCommand(): Command {
  return new Command('journey').description('Journeys').addCommand(listCommand()).addCommand(statsCommand()).addCommand(launchCommand()).addCommand(lockCommand());
}
