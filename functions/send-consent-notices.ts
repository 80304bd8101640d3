/**
 * Sends the consent-status notices due today (a daily scheduled rule): see
 * shared/outreach/consent-notices.ts. Logs counts only, never who.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import { sqsClient } from '#shared/clients/sqs.ts';
import { documentClient } from '#shared/clients/dynamodb.ts';
import { EnvVars, required } from '#shared/config.ts';
import { logger } from '#shared/logger.ts';
import { sendConsentNotices, type ConsentNoticeReport } from '#shared/outreach/consent-notices.ts';

const store = { ddb: documentClient(), tableName: required(EnvVars.ProfileTable) };
const queueUrl = required(EnvVars.OutreachQueueUrl);

async function noticesHandler(): Promise<ConsentNoticeReport> {
  const report = await sendConsentNotices({
    ...store,
    now: new Date(),
    enqueue: async (request) => {
      await sqsClient().send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(request) }));
    },
  });
  logger.info('consent notices', { due: report.due, sent: report.sent });
  return report;
}

export const handler = middy(noticesHandler).use(injectLambdaContext(logger));
