/**
 * The SES event-publishing record, as the configuration set's EventBridge destination delivers it
 * (`source: aws.ses`, detail-type `Email Delivered`, `Email Bounced`, …): the parts feedback uses.
 */
import * as z from 'zod';

export const SES_SOURCE = 'aws.ses';

export const SesEventDetailTypes = [
  'Email Sent',
  'Email Delivered',
  'Email Bounced',
  'Email Complaint Received',
  'Email Opened',
  'Email Clicked',
  'Email Rendering Failed',
  'Email Delivery Delayed',
] as const;

const recipients = z.array(z.object({ emailAddress: z.string() }).loose()).default([]);

export const SesEvent = z
  .object({
    eventType: z.string(),
    mail: z
      .object({
        messageId: z.string(),
        timestamp: z.string().optional(),
        destination: z.array(z.string()).default([]),
        tags: z.record(z.string(), z.array(z.string())).optional(),
      })
      .loose(),
    bounce: z.object({ bounceType: z.string(), bouncedRecipients: recipients, timestamp: z.string().optional() }).loose().optional(),
    complaint: z.object({ complainedRecipients: recipients, timestamp: z.string().optional() }).loose().optional(),
    delivery: z
      .object({ recipients: z.array(z.string()).default([]), timestamp: z.string().optional() })
      .loose()
      .optional(),
    open: z.object({ timestamp: z.string().optional() }).loose().optional(),
    click: z.object({ link: z.string(), timestamp: z.string().optional() }).loose().optional(),
  })
  .loose();

export type SesEvent = z.output<typeof SesEvent>;
