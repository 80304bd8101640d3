/**
 * Sends an email through SES v2, backing off and retrying while SES throttles, up to a bound;
 * then the error goes to the caller, which gives the request back to the queue.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { OutgoingEmail } from './send-email.ts';

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException', 'Throttling']);

export interface SesSenderOptions {
  /** Attempts while throttled. @default 4 */
  readonly attempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function isThrottling(error: unknown): boolean {
  return error instanceof Error && THROTTLING.has(error.name);
}

export function sesSender(client: () => SESv2Client, options: SesSenderOptions = {}): (email: OutgoingEmail) => Promise<string> {
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (email) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const { MessageId } = await client().send(
          new SendEmailCommand({
            FromEmailAddress: email.from,
            Destination: { ToAddresses: [email.to] },
            ConfigurationSetName: email.configurationSet,
            EmailTags: [...email.tags],
            Content: {
              Simple: {
                Subject: { Data: email.subject, Charset: 'UTF-8' },
                Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
                Headers: email.headers.map((header) => ({ Name: header.name, Value: header.value })),
              },
            },
          }),
        );
        if (!MessageId) throw new Error('SES returned no message id');
        return MessageId;
      } catch (error) {
        if (!isThrottling(error) || attempt >= attempts) throw error;
        // Exponential back-off with full jitter: 0-100 ms, 0-200 ms, 0-400 ms…
        await sleep(Math.random() * 100 * 2 ** (attempt - 1));
      }
    }
  };
}
