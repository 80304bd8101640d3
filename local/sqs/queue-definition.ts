/** What a queue is: its name, addresses and settings, as the stack's template declares them. */

export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

export interface QueueDefinition {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly fifo: boolean;
  /** @default 30 when created from a template */
  readonly visibilityTimeoutSeconds: number;
  /** @default 0 */
  readonly delaySeconds: number;
  /** @default 345600 (4 days) */
  readonly messageRetentionSeconds: number;
  /** @default 262144 */
  readonly maximumMessageSize: number;
  /** @default 0 */
  readonly receiveMessageWaitTimeSeconds: number;
  readonly redrivePolicy?: RedrivePolicy;
  readonly contentBasedDeduplication?: boolean;
}

/** AWS's defaults, for callers building a definition from a template that leaves settings out. */
export const QUEUE_DEFAULTS = {
  visibilityTimeoutSeconds: 30,
  delaySeconds: 0,
  messageRetentionSeconds: 345_600,
  maximumMessageSize: 262_144,
  receiveMessageWaitTimeSeconds: 0,
} as const;

/** The queue name a queue URL ends with; any scheme and host are accepted, as callers use many. */
export function queueNameFromUrl(url: string): string {
  const path = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}
