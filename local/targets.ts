/**
 * Sending something to an ARN, whatever it names: the one place that knows how a queue, a
 * function, a state machine or an event bus takes a message. EventBridge targets and dead-letter
 * queues, Lambda destinations and Scheduler targets all go through here.
 */
import { AwsServiceError } from './aws-error.ts';
import type { EventBridgeService } from './eventbridge/eventbridge-service.ts';
import type { LambdaService } from './lambda/lambda-service.ts';
import type { SqsService } from './sqs/sqs-service.ts';
import type { StepFunctionsService } from './stepfunctions/step-functions-service.ts';

export interface TargetServices {
  readonly sqs: SqsService;
  readonly lambda: LambdaService;
  readonly stepFunctions: StepFunctionsService;
  readonly eventBridge: EventBridgeService;
}

export interface SendOptions {
  /** For FIFO queues. */
  readonly messageGroupId?: string;
  readonly messageAttributes?: Record<string, string>;
  /** For event bus targets: the event itself is forwarded, not re-created. */
  readonly event?: Record<string, unknown>;
}

/** The service an ARN belongs to: `arn:aws:<service>:…`. */
const serviceOf = (arn: string): string => arn.split(':')[2] ?? '';

export async function sendToArn(services: TargetServices, arn: string, input: string, options: SendOptions = {}): Promise<void> {
  switch (serviceOf(arn)) {
    case 'sqs': {
      const attributes = Object.fromEntries(
        Object.entries(options.messageAttributes ?? {}).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
      );
      services.sqs.sendMessage(arn, input, {
        ...(Object.keys(attributes).length > 0 && { messageAttributes: attributes }),
        ...(options.messageGroupId && { messageGroupId: options.messageGroupId }),
      });
      return;
    }
    case 'lambda':
      services.lambda.invokeAsync(arn, JSON.parse(input) as unknown);
      return;
    case 'states':
      services.stepFunctions.startExecution(arn, input);
      return;
    case 'events': {
      const busName = arn.split('/').pop() ?? 'default';
      if (options.event) services.eventBridge.route(busName, options.event);
      else services.eventBridge.putEvents([{ ...(JSON.parse(input) as Record<string, unknown>), EventBusName: busName }]);
      return;
    }
    default:
      throw new AwsServiceError('ResourceNotFoundException', `the local cloud cannot deliver to ${arn}`);
  }
}
