/**
 * What a Task state's `Resource` calls in the local cloud: Lambda functions (the optimised
 * `lambda:invoke` integration and plain function ARNs), the optimised SQS, EventBridge and DynamoDB
 * integrations, starting another execution, and `aws-sdk:<service>:<action>` for the services the
 * local cloud serves. Errors are named as Step Functions names them, so `Retry` and `Catch` match
 * the same way they would in AWS.
 */
import { AwsServiceError } from '../aws-error.ts';
import { FunctionError } from '../lambda/function-sandbox.ts';

export type LocalServiceName = 'sqs' | 'events' | 'states' | 'dynamodb' | 'sesv2';

export interface IntegrationTargets {
  /** Synchronous invocation. @throws FunctionError when the function fails */
  invokeFunction(nameOrArn: string, payload: unknown): Promise<unknown>;
  /** A call to a local service's JSON API. @throws AwsServiceError */
  callService(service: LocalServiceName, action: string, input: Record<string, unknown>): Promise<unknown>;
}

/** A task failure as Step Functions reports it: `name` is the Error, `message` the Cause. */
export class TaskError extends Error {
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}

const SERVICE_ERROR_PREFIX: Record<LocalServiceName, { optimised: string; sdk: string }> = {
  sqs: { optimised: 'SQS', sdk: 'Sqs' },
  events: { optimised: 'EventBridge', sdk: 'EventBridge' },
  states: { optimised: 'StepFunctions', sdk: 'Sfn' },
  dynamodb: { optimised: 'DynamoDB', sdk: 'DynamoDb' },
  sesv2: { optimised: 'SesV2', sdk: 'SesV2' },
};

const SDK_SERVICES: Record<string, LocalServiceName> = { sqs: 'sqs', eventbridge: 'events', sfn: 'states', dynamodb: 'dynamodb', sesv2: 'sesv2' };

const asJson = (value: unknown): unknown => (typeof value === 'string' ? value : JSON.stringify(value));
const capitalise = (action: string): string => action.charAt(0).toUpperCase() + action.slice(1);

async function callLambda(targets: IntegrationTargets, functionName: string, payload: unknown): Promise<unknown> {
  try {
    return await targets.invokeFunction(functionName, payload);
  } catch (error) {
    if (error instanceof FunctionError) {
      throw new TaskError(error.payload.errorType, JSON.stringify(error.payload));
    }
    if (error instanceof AwsServiceError) throw new TaskError(`Lambda.${error.code}`, error.message);
    throw error;
  }
}

async function callService(
  targets: IntegrationTargets,
  service: LocalServiceName,
  action: string,
  input: Record<string, unknown>,
  style: 'optimised' | 'sdk',
): Promise<unknown> {
  try {
    return await targets.callService(service, action, input);
  } catch (error) {
    if (error instanceof AwsServiceError) throw new TaskError(`${SERVICE_ERROR_PREFIX[service][style]}.${error.code}`, error.message);
    throw error;
  }
}

/** Calls what `resource` names with the task's effective input (after InputPath and Parameters). */
export async function runTask(targets: IntegrationTargets, resource: string, input: unknown): Promise<unknown> {
  const parameters = (input ?? {}) as Record<string, unknown>;
  if (resource.startsWith('arn:aws:lambda:')) return callLambda(targets, resource, input);

  const match = /^arn:aws:states:::(.+)$/.exec(resource);
  const integration = match?.[1] ?? '';
  switch (integration) {
    case 'lambda:invoke': {
      const payload = await callLambda(targets, String(parameters.FunctionName), parameters.Payload ?? {});
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200, SdkHttpMetadata: { HttpStatusCode: 200 } };
    }
    case 'sqs:sendMessage':
      return callService(targets, 'sqs', 'SendMessage', { ...parameters, MessageBody: asJson(parameters.MessageBody) }, 'optimised');
    case 'events:putEvents': {
      const entries = (parameters.Entries as Record<string, unknown>[] | undefined) ?? [];
      const result = (await callService(
        targets,
        'events',
        'PutEvents',
        { Entries: entries.map((entry) => ({ ...entry, Detail: asJson(entry.Detail) })) },
        'optimised',
      )) as {
        FailedEntryCount?: number;
      };
      if ((result.FailedEntryCount ?? 0) > 0) throw new TaskError('EventBridge.FailedEntry', JSON.stringify(result));
      return result;
    }
    case 'dynamodb:getItem':
    case 'dynamodb:putItem':
    case 'dynamodb:updateItem':
    case 'dynamodb:deleteItem':
      return callService(targets, 'dynamodb', capitalise(integration.split(':')[1] ?? ''), parameters, 'optimised');
    case 'states:startExecution':
      return callService(targets, 'states', 'StartExecution', { ...parameters, Input: asJson(parameters.Input ?? {}) }, 'optimised');
    default: {
      const sdk = /^aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(integration);
      const service = sdk ? SDK_SERVICES[sdk[1] ?? ''] : undefined;
      if (sdk && service) return callService(targets, service, capitalise(sdk[2] ?? ''), parameters, 'sdk');
      throw new TaskError('States.TaskFailed', `the local cloud does not run ${resource}`);
    }
  }
}
