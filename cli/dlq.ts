/**
 * `lifecycle dlq list | redrive`: what the system could not process, and sending it back once the
 * cause is gone. Prints names and counts only (queues, detail-types, templates, error names),
 * never a message's content: dead letters hold personal data.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { Command } from 'commander';
import { DEFAULT_PEEK_LIMIT, countMessages, peekQueue, type Progress, type QueueRedrive } from '#shared/operations/dead-letter-queues.ts';
import type { ReasonCount } from '#shared/operations/dead-letters.ts';
import { progressBar } from './progress.ts';
import { printJson, printTable, reportErrors } from './output.ts';
import { deadLetterQueues, redriveDeadLetters } from './dead-letter-api.ts';
import { resolveTarget, withTargetOptions, type TargetOptions } from './target.ts';

function positiveInteger(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${option} must be a whole number of 1 or more, not ${value}`);
  return number;
}

const reasonsText = (reasons: readonly ReasonCount[]): string =>
  reasons.map((entry) => `${entry.reason}${entry.kind === 'failed' ? '' : ` (${entry.kind})`}: ${entry.count}`).join(', ') || '-';

const countsText = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([name, count]) => `${name}: ${count}`)
    .join(', ') || '-';

/** Adds each queue's progress to the ones finished before it. */
function tracker(bar: { update(done: number): void }) {
  let finished = 0;
  let current = 0;
  return {
    onProgress: (progress: Progress) => {
      current = progress.examined;
      bar.update(finished + current);
    },
    next: () => {
      finished += current;
      current = 0;
    },
  };
}

function listCommand(): Command {
  const command = new Command('list')
    .description('Count the messages in each dead-letter queue and sum up why they are there (no message content)')
    .option('--max-messages <n>', 'messages looked at per queue for the reasons (the count is always complete)', String(DEFAULT_PEEK_LIMIT))
    .option('--json', 'print as JSON');
  return withTargetOptions(command).action((options: TargetOptions & { maxMessages: string; json?: boolean }) =>
    reportErrors(async () => {
      const limit = positiveInteger(options.maxMessages, '--max-messages');
      const target = await resolveTarget(options);
      const queues = deadLetterQueues(target);
      const sqs = new SQSClient(target.clientConfig);
      try {
        const total = (await Promise.all(queues.map((queue) => countMessages(sqs, queue.url)))).reduce(
          (sum, counts) => sum + Math.min(counts.visible, limit),
          0,
        );
        const bar = progressBar(total, options.json, 'Looking', 'messages');
        const progress = tracker(bar);
        const peeks = [];
        for (const queue of queues) {
          peeks.push(await peekQueue(sqs, queue, { limit, onProgress: progress.onProgress }));
          progress.next();
        }
        bar.stop();
        if (options.json) return printJson({ queues: peeks });
        printTable(
          ['queue', 'messages', 'redrivable', 'reasons', 'types'],
          peeks.map((peek) => [
            peek.queue,
            peek.messages + (peek.inFlight > 0 ? ` (+${peek.inFlight} in flight)` : ''),
            peek.messages === 0 ? '-' : peek.redrivable,
            reasonsText(peek.reasons),
            countsText(peek.types),
          ]),
        );
        const rejections = peeks.flatMap((peek) =>
          peek.reasons.flatMap((entry) => (entry.details ?? []).map((detail) => [peek.queue, entry.reason, detail.detail, detail.count] as const)),
        );
        if (rejections.length > 0) {
          console.log('\nWhy they were rejected, by field (a message can have several reasons):');
          printTable(['queue', 'error', 'reason', 'messages'], rejections);
        }
        const examinedFewer = peeks.filter((peek) => peek.examined < peek.messages);
        if (examinedFewer.length > 0) console.log(`\nReasons are from the first ${limit} messages of ${examinedFewer.map((peek) => peek.queue).join(', ')}.`);
        if (peeks.some((peek) => peek.redrivable > 0))
          console.log('\nSend the failed ones back with: lifecycle dlq redrive (--dry-run first to see what would go)');
      } finally {
        sqs.destroy();
      }
    }),
  );
}

interface RedriveOptions extends TargetOptions {
  readonly queue?: string;
  readonly dryRun?: boolean;
  readonly includeRejected?: boolean;
  readonly json?: boolean;
}

function printRedrive(results: readonly QueueRedrive[], dryRun: boolean | undefined): void {
  const redriven = results.reduce((sum, result) => sum + result.redriven, 0);
  const examined = results.reduce((sum, result) => sum + result.examined, 0);
  const left = results.reduce((sum, result) => sum + result.left, 0);
  console.log(
    dryRun
      ? `Dry run: nothing was changed. Would redrive ${redriven} of ${examined} messages; ${left} would stay.`
      : `Redrove ${redriven} of ${examined} messages; ${left} left.`,
  );
  const rows = results.filter((result) => result.examined > 0);
  if (rows.length === 0) return;
  printTable(
    ['queue', dryRun ? 'would redrive' : 'redriven', 'left', 'why left'],
    rows.map((result) => [
      result.queue,
      result.redriven,
      result.left,
      result.leftBy.map((entry) => `${entry.reason}: ${entry.count} (${entry.why})`).join('; ') || '-',
    ]),
  );
  const notDeleted = results.reduce((sum, result) => sum + result.notDeleted, 0);
  if (notDeleted > 0)
    console.log(`\n${notDeleted} messages were sent back but could not be deleted: a later redrive sends them again, which every consumer ignores.`);
}

function redriveCommand(): Command {
  const command = new Command('redrive')
    .description(
      "Send dead letters back where they are processed: events onto the bus (an AWS service's event straight to its rule's target), send requests onto the outreach queue",
    )
    .option('--queue <name>', 'only this dead-letter queue (see lifecycle dlq list)')
    .option('--dry-run', 'change nothing; say what would be redriven')
    .option('--include-rejected', 'redrive rejected messages too, once what rejected them is fixed')
    .option('--json', 'print the summary as JSON');
  return withTargetOptions(command).action((options: RedriveOptions) =>
    reportErrors(async () => {
      const target = await resolveTarget(options);
      let bar: ReturnType<typeof progressBar> | undefined;
      let progress: ReturnType<typeof tracker> | undefined;
      const results = await redriveDeadLetters(target, options, {
        onTotal: (total) => {
          bar = progressBar(total, options.json, options.dryRun ? 'Looking' : 'Redriving', 'messages');
          progress = tracker(bar);
        },
        onProgress: (each) => progress?.onProgress(each),
        onQueueDone: () => progress?.next(),
      }).finally(() => bar?.stop());
      const redriven = results.reduce((sum, result) => sum + result.redriven, 0);
      const left = results.reduce((sum, result) => sum + result.left, 0);
      if (options.json)
        return printJson({ dryRun: options.dryRun ?? false, includeRejected: options.includeRejected ?? false, redriven, left, queues: results });
      printRedrive(results, options.dryRun);
    }),
  );
}

export function dlqCommand(): Command {
  return new Command('dlq')
    .description('Dead-letter queues: what could not be processed, and redriving it')
    .addCommand(listCommand())
    .addCommand(redriveCommand());
}
