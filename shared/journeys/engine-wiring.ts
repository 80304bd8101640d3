/**
 * The engine's dependencies in Lambda: the outreach queue, the bus, Scheduler and the store from
 * the function's environment, and the journeys (every kept version too) from the bundle, where
 * the stack put them at synth time. Used by the engine function and by the launcher, which starts
 * runs itself.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { schedulerClient } from '../clients/scheduler.ts';
import { sqsClient } from '../clients/sqs.ts';
import { documentClient } from '../clients/dynamodb.ts';
import { eventBridgeClient } from '../clients/eventbridge.ts';
import { EnvVars, config, required } from '../config.ts';
import { logger } from '../logger.ts';
import type { JourneyDefinition } from './definition.ts';
import { JOURNEY_EVENT_SOURCE, type EngineDeps, type Wake } from './engine.ts';
import { PARTICIPANTS_LOG_MESSAGE } from './metrics.ts';
import { createWakeSchedule, deleteWakeSchedule } from './wake-schedules.ts';

export interface BundledJourneys {
  readonly journeys: readonly JourneyDefinition[];
  readonly versions: readonly JourneyDefinition[];
}

/** @param engineArn - the engine function the schedules wake */
export function engineDeps(bundled: BundledJourneys, engineArn: () => string): EngineDeps {
  const env = config();
  const queueUrl = required(EnvVars.OutreachQueueUrl);
  const busName = required(EnvVars.EventBus);
  const roleArn = required(EnvVars.SchedulerRoleArn);
  return {
    ddb: documentClient(),
    tableName: required(EnvVars.ProfileTable),
    clock: () => new Date(),
    consentMode: env[EnvVars.ConsentMode],
    defaultTimezone: env[EnvVars.DefaultTimezone],
    timelineRetentionDays: env[EnvVars.TimelineRetentionDays],
    journeys: bundled.journeys,
    definition: (name, version) => [...bundled.journeys, ...bundled.versions].find((journey) => journey.name === name && journey.version === version),
    sendRequest: async (request) => {
      await sqsClient().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(request) }));
    },
    putEvent: async (detailType, detail) => {
      const result = await eventBridgeClient().send(
        new PutEventsCommand({ Entries: [{ EventBusName: busName, Source: JOURNEY_EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) }] }),
      );
      if (result.FailedEntryCount) throw new Error(`the bus refused ${detailType}: ${result.Entries?.[0]?.ErrorCode ?? 'unknown error'}`);
    },
    scheduleWake: (name: string, at: Date, wake: Wake) => createWakeSchedule(schedulerClient(), name, at, { arn: engineArn(), roleArn, input: { wake } }),
    cancelWake: (name: string) => deleteWakeSchedule(schedulerClient(), name),
    // The dashboard's participants gauge: a metric filter reads this line (infra/constructs/journeys.ts).
    onParticipants: (now) => logger.info(PARTICIPANTS_LOG_MESSAGE, { ...now }),
  };
}
