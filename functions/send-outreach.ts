/**
 * The sender: consumes send requests from the outreach queue in batches, at most the configured
 * rate, and reports the requests to retry (partial batch failure). A request that cannot be
 * parsed, or fails for good, goes to the dead-letter queue with the reason.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ConflictException, CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { schedulerClient } from '#shared/clients/scheduler.ts';
import { sesClient } from '#shared/clients/ses.ts';
import { sqsClient } from '#shared/clients/sqs.ts';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { eventBridgeClient } from '#shared/clients/eventbridge.ts';
import { secretReader, secretsClient } from '#shared/clients/secrets.ts';
import { EnvVars, config, required } from '#shared/config.ts';
import { LIFECYCLE_SOURCE } from '#shared/events/catalog.ts';
import { createEmitter } from '#shared/events/emitter.ts';
import { describeIssues } from '#shared/events/parse.ts';
import { countNotActed } from '#shared/decisions.ts';
import { logger } from '#shared/logger.ts';
import { parseFrequencyCap } from '#shared/outreach/frequency-cap.ts';
import { parseQuietHours } from '#shared/outreach/quiet-hours.ts';
import { REPOSITORY_TEMPLATES_DIR, createRenderer } from '#shared/outreach/render.ts';
import { SendRequestV1, type SendRequest } from '#shared/outreach/request.ts';
import { SendDeferredError, sendEmail, type Announcement, type SenderDeps } from '#shared/outreach/send-email.ts';
import { sesSender } from '#shared/outreach/ses-sender.ts';
import { recommendProducts } from '#shared/scoring/recommend-products.ts';

const env = config();
const queueArn = required(EnvVars.OutreachQueueArn);
const deadLetterUrl = required(EnvVars.OutreachDeadLetterQueueUrl);
const emitter = createEmitter({ client: eventBridgeClient(), eventBusName: required(EnvVars.EventBus), source: LIFECYCLE_SOURCE });
// In Lambda the templates are copied next to the bundle; elsewhere they are read from the repository.
const taskRoot = env[EnvVars.TaskRoot];
const templatesDir = taskRoot ? join(taskRoot, 'templates') : REPOSITORY_TEMPLATES_DIR;
const secrets = secretReader(secretsClient, required(EnvVars.UnsubscribeSecretArn));
// Each of the sender's concurrent instances takes its share of the maximum send rate.
const sendIntervalMs = (1000 * env[EnvVars.SenderConcurrency]) / env[EnvVars.MaxSendRate];

async function announce(announcement: Announcement): Promise<void> {
  const { request } = announcement;
  const message = { messageKey: request.messageKey, template: request.template, kind: request.kind, ...(request.topic && { topic: request.topic }) };
  const eventId = `outreach-${createHash('sha256').update(`${request.messageKey}:${announcement.type}`).digest('hex').slice(0, 32)}`;
  const data = announcement.type === 'outreach.sent' ? { ...message, messageId: announcement.messageId } : { ...message, reason: announcement.reason };
  await emitter.emit([
    { detailType: announcement.type, detail: { eventId, customer: announcement.customer, data } } as Parameters<typeof emitter.emit>[0][number],
  ]);
}

async function deferUntil(request: SendRequest, until: Date): Promise<void> {
  const name = `outreach-${createHash('sha256').update(request.messageKey).digest('hex').slice(0, 32)}-${Math.floor(until.getTime() / 1000)}`;
  try {
    await schedulerClient().send(
      new CreateScheduleCommand({
        Name: name,
        ScheduleExpression: `at(${until.toISOString().slice(0, 19)})`,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: { Arn: queueArn, RoleArn: required(EnvVars.SchedulerRoleArn), Input: JSON.stringify(request) },
      }),
    );
  } catch (error) {
    // Deferred before (a redelivered request): the schedule is already there.
    if (!(error instanceof ConflictException)) throw error;
  }
}

const store = { ddb: documentClient(), tableName: required(EnvVars.ProfileTable) };

const deps: SenderDeps = {
  ...store,
  clock: () => new Date(),
  settings: {
    fromAddress: required(EnvVars.SenderAddress),
    configurationSet: required(EnvVars.ConfigurationSet),
    unsubscribeUrl: required(EnvVars.UnsubscribeUrl),
    brand: { name: env[EnvVars.BrandName], url: env[EnvVars.BrandUrl] },
    advertiser: { name: required(EnvVars.AdvertiserName), contact: required(EnvVars.AdvertiserContact) },
    consentMode: env[EnvVars.ConsentMode],
    quietHours: parseQuietHours(env[EnvVars.QuietHours]),
    frequencyCap: parseFrequencyCap(env[EnvVars.FrequencyCap]),
    defaultTimezone: env[EnvVars.DefaultTimezone],
  },
  renderer: createRenderer({ templatesDir }),
  sendEmail: sesSender(sesClient),
  unsubscribeSecret: async () => (await secrets())[0] ?? '',
  deferUntil,
  announce,
  recommend: (profile, basedOn, limit) => recommendProducts(store, profile, basedOn, limit),
};

async function deadLetter(record: SQSRecord, reason: string, error: string): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: deadLetterUrl,
      MessageBody: record.body,
      MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) }, error: { DataType: 'String', StringValue: error } },
    }),
  );
}

/** One record: success, a retry (false), or parked for good (also success: it leaves the queue). */
async function processRecord(record: SQSRecord): Promise<boolean> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    body = undefined;
  }
  const parsed = SendRequestV1.safeParse(body);
  if (!parsed.success) {
    const reason = body === undefined ? 'the message is not JSON' : describeIssues(parsed.error.issues, body);
    logger.warn('send request rejected', { reason });
    countNotActed('not-sent', 'invalid-request');
    await deadLetter(record, reason, 'InvalidSendRequest');
    return true;
  }
  const lastAttempt = Number(record.attributes.ApproximateReceiveCount) >= env[EnvVars.MaxReceives];
  try {
    const outcome = await sendEmail(deps, parsed.data);
    logger.info('send request handled', {
      outcome: outcome.status,
      template: parsed.data.template,
      kind: parsed.data.kind,
      ...(outcome.status === 'skipped' && { reason: outcome.reason }),
    });
    // Skips and deferrals are also announced (`outreach.skipped`); a duplicate is only counted here.
    if (outcome.status === 'skipped') countNotActed('not-sent', outcome.reason);
    else if (outcome.status === 'deferred') countNotActed('not-sent', 'deferred-quiet-hours');
    else if (outcome.status === 'duplicate') countNotActed('not-sent', 'duplicate');
    return true;
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof SendDeferredError && !lastAttempt) {
      logger.info('send request will be retried', { error: name, reason: message });
      return false;
    }
    logger.error('send request failed for good', { error: name, reason: message });
    await deadLetter(record, message, name);
    return true;
  }
}

async function sendBatch(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const [index, record] of event.Records.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, sendIntervalMs));
    try {
      if (!(await processRecord(record))) batchItemFailures.push({ itemIdentifier: record.messageId });
    } catch (error) {
      logger.error('send request could not be handled', { error: error instanceof Error ? error.name : 'Error' });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

export const handler = middy(sendBatch).use(injectLambdaContext(logger));
