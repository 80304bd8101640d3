import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** @default 14 days, the longest SQS keeps a message */
  readonly retentionPeriod?: Duration;
  readonly queueProps?: Omit<QueueProps, 'encryption' | 'enforceSSL' | 'retentionPeriod'>;
}

/**
 * A queue that keeps what could not be processed, for inspection and replay: encrypted at rest,
 * TLS-only, and holding messages as long as SQS allows.
 */
export class DeadLetterQueue extends Queue {
  constructor(scope: Construct, id: string, props: DeadLetterQueueProps = {}) {
    super(scope, id, {
      ...props.queueProps,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod ?? Duration.days(14),
    });
    const reason =
      'This queue is itself a dead-letter queue (of an EventBridge target, a Lambda failure destination or a workflow), not a work queue; a dead-letter queue of its own would only move the same messages again.';
    Validations.of(this).acknowledge({ id: 'AwsSolutions::AwsSolutions-SQS3', reason }, { id: 'Serverless::Serverless-SQSRedrivePolicy', reason });
  }
}
