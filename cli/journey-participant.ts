/**
 * `lifecycle journey show <name> --customer <id|email>` (where a participant is: the step, what it
 * waits for and when it wakes, the steps taken) and `lifecycle journey exit <name> --customer …`
 * (takes the participant out; its pending wake-up is deleted, the run counted as removed).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { Command } from 'commander';
import { loadDefinitions } from '#infra/definitions.ts';
import { createDocumentClient } from '#shared/clients/dynamodb.ts';
import { removeParticipant } from '#shared/journeys/engine.ts';
import { readMembership } from '#shared/journeys/membership.ts';
import { readParticipant } from '#shared/journeys/participant.ts';
import { stepAt } from '#shared/journeys/position.ts';
import { deleteWakeSchedule } from '#shared/journeys/wake-schedules.ts';
import { findCustomerId } from '#shared/profile/lookup.ts';
import { printJson, reportErrors } from './output.ts';
import { resolveTarget, withTargetOptions, type TargetOptions } from './target.ts';

interface ParticipantOptions extends TargetOptions {
  readonly customer: string;
  readonly json?: boolean;
}

async function withStore<T>(
  options: ParticipantOptions,
  work: (deps: {
    ddb: ReturnType<typeof createDocumentClient>;
    tableName: string;
    customerId: string;
    target: Awaited<ReturnType<typeof resolveTarget>>;
  }) => Promise<T>,
): Promise<T> {
  const target = await resolveTarget(options);
  const client = new DynamoDBClient(target.clientConfig);
  try {
    const ddb = createDocumentClient(client);
    const customerId = await findCustomerId({ ddb, tableName: target.tableName }, options.customer);
    if (!customerId) throw new Error(`no customer ${options.customer}`);
    return await work({ ddb, tableName: target.tableName, customerId, target });
  } finally {
    client.destroy();
  }
}

function showCommand(): Command {
  const command = new Command('show')
    .description('Where a customer is in a journey: the step, what it waits for and when it wakes, the steps taken')
    .argument('<journey>', 'the journey')
    .requiredOption('--customer <id|email>', 'a customer id or an email address')
    .option('--json', 'print as JSON');
  return withTargetOptions(command).action((journey: string, options: ParticipantOptions) =>
    reportErrors(() =>
      withStore(options, async ({ ddb, tableName, customerId }) => {
        const participant = await readParticipant({ ddb, tableName }, customerId, journey);
        if (!participant) {
          const membership = await readMembership({ ddb, tableName }, customerId, journey);
          const last = membership?.lastOutcome ? `last run ended ${membership.lastOutcome} at ${membership.lastExitedAt ?? '?'}` : 'never entered';
          if (options.json)
            return printJson({
              customerId,
              journey,
              active: false,
              ...(membership && { lastOutcome: membership.lastOutcome, lastExitedAt: membership.lastExitedAt }),
            });
          return console.log(`${customerId} is not in ${journey} now (${last}).`);
        }
        const { journeys, versions } = await loadDefinitions({ checkLock: false });
        const definition = [...journeys, ...versions].find((each) => each.name === journey && each.version === participant.run.version);
        const step = definition ? stepAt(definition.steps, participant.at) : undefined;
        const waiting = participant.waiting;
        const waitsFor = !waiting
          ? 'nothing (moving now)'
          : waiting.kind === 'event'
            ? `${waiting.event ?? '?'}, or its timeout at ${waiting.until}`
            : `time to pass, until ${waiting.until}`;
        const view = {
          customerId,
          journey,
          version: participant.run.version,
          runId: participant.run.runId,
          enteredAt: participant.run.enteredAt,
          step: step?.id ?? (participant.at.length === 0 ? 'the end' : '?'),
          waitsFor,
          wakesAt: waiting?.until,
          stepsTaken: participant.steps ?? [],
          holdout: participant.run.holdout,
          ...(participant.run.variant && { variant: participant.run.variant }),
        };
        if (options.json) return printJson(view);
        console.log(
          `${customerId} in ${journey} v${view.version} (run ${view.runId}, entered ${view.enteredAt}${view.holdout ? ', holdout' : ''}${participant.run.variant ? `, variant ${participant.run.variant}` : ''})`,
        );
        console.log(`  at step      ${waiting?.kind === 'time' ? `after the wait: ${view.step}` : view.step}`);
        console.log(`  waits for    ${waitsFor}`);
        console.log(`  steps taken  ${view.stepsTaken.join(' → ') || '-'}`);
      }),
    ),
  );
}

function exitCommand(): Command {
  const command = new Command('exit')
    .description('Take a customer out of a journey: their pending wake-up is deleted and the run counted as removed')
    .argument('<journey>', 'the journey')
    .requiredOption('--customer <id|email>', 'a customer id or an email address');
  return withTargetOptions(command).action((journey: string, options: ParticipantOptions) =>
    reportErrors(() =>
      withStore(options, async ({ ddb, tableName, customerId, target }) => {
        const scheduler = new SchedulerClient(target.clientConfig);
        try {
          const cancelWake = (name: string) => deleteWakeSchedule(scheduler, name);
          const removed = await removeParticipant({ ddb, tableName, clock: () => new Date(target.now()), cancelWake }, customerId, journey);
          console.log(removed ? `Took ${customerId} out of ${journey}.` : `${customerId} is not in ${journey} now: nothing to do.`);
        } finally {
          scheduler.destroy();
        }
      }),
    ),
  );
}

export const participantCommands = (): Command[] => [showCommand(), exitCommand()];
