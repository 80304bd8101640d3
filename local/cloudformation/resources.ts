/**
 * Reads what a template declares into the shapes the local services take: queues, functions (with
 * their asynchronous-invocation settings and the local cloud's endpoint injected), event source
 * mappings, buses and rules, state machines, schedules and outputs. References are resolved with
 * the local names, so nothing about the stack is configured twice.
 */
import type { FunctionUrlSpec } from '../lambda/function-url.ts';
import type { SecretDefinition } from '../secretsmanager/secrets-service.ts';
import { sesDestinationsFrom, type SesEventDestination } from '../ses/event-publishing.ts';
import type { FunctionDefinition } from '../lambda/lambda-service.ts';
import type { QueueDefinition } from '../sqs/queue-definition.ts';
import type { EventSourceMapping } from '../sqs/sqs-service.ts';
import { QUEUE_DEFAULTS } from '../sqs/queue-definition.ts';
import type { RuleSpec, RuleTarget } from '../eventbridge/eventbridge-service.ts';
import { loggingSpec } from '../stepfunctions/execution-logs.ts';
import type { MachineType, StateMachineSpec } from '../stepfunctions/step-functions-service.ts';
import { readPolicies, type PolicyBook } from '../iam/template-policies.ts';
import { codeDirectory, type StackArtifact } from './assembly.ts';
import { resolveIntrinsics } from './intrinsics.ts';
import { nameResources, type LocalEnvironment, type Names } from './naming.ts';

/** An SQS event source mapping: everything but the invocation, which the local cloud wires. */
export type MappingSpec = Omit<EventSourceMapping, 'invoke'>;

export interface ScheduleSpec {
  readonly name: string;
  readonly expression: string;
  readonly timezone: string;
  readonly target: RuleTarget;
}

export interface StackResources {
  readonly stackName: string;
  readonly names: ReadonlyMap<string, Names>;
  readonly buses: string[];
  readonly queues: QueueDefinition[];
  readonly tables: { logicalId: string; name: string }[];
  readonly functions: FunctionDefinition[];
  readonly mappings: MappingSpec[];
  readonly rules: RuleSpec[];
  readonly machines: StateMachineSpec[];
  readonly schedules: ScheduleSpec[];
  readonly functionUrls: FunctionUrlSpec[];
  readonly secrets: SecretDefinition[];
  readonly sesDestinations: SesEventDestination[];
  /** Identity and resource policies, for IAM. */
  readonly policies: PolicyBook;
  readonly outputs: Record<string, string>;
}

type Props = Record<string, unknown>;

const num = (value: unknown, fallback: number): number => (value === undefined || value === null || value === '' ? fallback : Number(value));

/** What every function's environment gets so that the AWS SDK inside talks to the local cloud. */
function localEnvironment(env: LocalEnvironment, names: Names, memoryMb: number, codeDir: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: env.endpoint,
    AWS_REGION: env.region,
    AWS_DEFAULT_REGION: env.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_LAMBDA_FUNCTION_NAME: names.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${names.name}`,
    LAMBDA_TASK_ROOT: codeDir,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export function readResources(stack: StackArtifact, env: LocalEnvironment): StackResources {
  const { names, namer } = nameResources(stack.template, env);
  const resolve = (value: unknown): unknown => resolveIntrinsics(value, namer, env);
  const nameOf = (logicalId: string): Names => {
    const found = names.get(logicalId);
    if (!found) throw new Error(`unknown resource ${logicalId}`);
    return found;
  };
  const resources = Object.entries(stack.template.Resources);
  const ofType = (type: string) =>
    resources.filter(([, resource]) => resource.Type === type).map(([id, resource]) => [id, resolve(resource.Properties ?? {}) as Props, resource] as const);

  const queues: QueueDefinition[] = ofType('AWS::SQS::Queue').map(([id, props]) => {
    const queue = nameOf(id);
    const redrive = props.RedrivePolicy as { deadLetterTargetArn?: string; maxReceiveCount?: number } | undefined;
    return {
      name: queue.name,
      arn: queue.arn,
      url: queue.ref,
      fifo: props.FifoQueue === true || props.FifoQueue === 'true',
      visibilityTimeoutSeconds: num(props.VisibilityTimeout, QUEUE_DEFAULTS.visibilityTimeoutSeconds),
      delaySeconds: num(props.DelaySeconds, QUEUE_DEFAULTS.delaySeconds),
      messageRetentionSeconds: num(props.MessageRetentionPeriod, QUEUE_DEFAULTS.messageRetentionSeconds),
      maximumMessageSize: num(props.MaximumMessageSize, QUEUE_DEFAULTS.maximumMessageSize),
      receiveMessageWaitTimeSeconds: num(props.ReceiveMessageWaitTimeSeconds, QUEUE_DEFAULTS.receiveMessageWaitTimeSeconds),
      ...(redrive?.deadLetterTargetArn && {
        redrivePolicy: { deadLetterTargetArn: redrive.deadLetterTargetArn, maxReceiveCount: num(redrive.maxReceiveCount, 10) },
      }),
      ...(props.ContentBasedDeduplication !== undefined && {
        contentBasedDeduplication: props.ContentBasedDeduplication === true || props.ContentBasedDeduplication === 'true',
      }),
    };
  });

  const invokeConfigs = new Map(ofType('AWS::Lambda::EventInvokeConfig').map(([, props]) => [String(props.FunctionName), props] as const));
  const functions: FunctionDefinition[] = ofType('AWS::Lambda::Function').flatMap(([id, props, resource]) => {
    const fn = nameOf(id);
    const codeDir = codeDirectory(stack, resource);
    // Functions with inline code or a container image are not run locally.
    if (!codeDir) return [];
    const memoryMb = num(props.MemorySize, 128);
    const config = invokeConfigs.get(fn.name) ?? invokeConfigs.get(fn.arn);
    const destinations = config?.DestinationConfig as { OnFailure?: { Destination?: string }; OnSuccess?: { Destination?: string } } | undefined;
    const variables = ((props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>;
    return [
      {
        name: fn.name,
        arn: fn.arn,
        codeDir,
        handler: String(props.Handler ?? 'index.handler'),
        environment: {
          ...Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)])),
          ...localEnvironment(env, fn, memoryMb, codeDir),
        },
        timeoutSeconds: num(props.Timeout, 3),
        memoryMb,
        logFormat: (props.LoggingConfig as { LogFormat?: unknown } | undefined)?.LogFormat === 'JSON' ? 'JSON' : 'Text',
        tracing: (props.TracingConfig as { Mode?: unknown } | undefined)?.Mode === 'Active',
        ...(typeof props.Role === 'string' && { roleArn: props.Role }),
        async: {
          maximumRetryAttempts: num(config?.MaximumRetryAttempts, 2),
          maximumEventAgeSeconds: num(config?.MaximumEventAgeInSeconds, 21_600),
          ...(destinations?.OnFailure?.Destination && { onFailure: destinations.OnFailure.Destination }),
          ...(destinations?.OnSuccess?.Destination && { onSuccess: destinations.OnSuccess.Destination }),
        },
      },
    ];
  });

  const mappings: MappingSpec[] = ofType('AWS::Lambda::EventSourceMapping')
    .filter(([, props]) => String(props.EventSourceArn ?? '').startsWith('arn:aws:sqs:') && props.Enabled !== false)
    .map(([, props]) => ({
      queueArn: String(props.EventSourceArn),
      functionName: String(props.FunctionName).split(':').pop() ?? '',
      batchSize: num(props.BatchSize, 10),
      ...(props.MaximumBatchingWindowInSeconds !== undefined && { maximumBatchingWindowSeconds: num(props.MaximumBatchingWindowInSeconds, 0) }),
      reportBatchItemFailures: Array.isArray(props.FunctionResponseTypes) && props.FunctionResponseTypes.includes('ReportBatchItemFailures'),
      ...((props.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency !== undefined && {
        maximumConcurrency: num((props.ScalingConfig as { MaximumConcurrency?: number }).MaximumConcurrency, 5),
      }),
    }));

  const rules: RuleSpec[] = ofType('AWS::Events::Rule').map(([id, props]) => {
    const rule = nameOf(id);
    const bus = String(props.EventBusName ?? 'default');
    return {
      name: rule.name,
      arn: rule.arn,
      busName: bus.startsWith('arn:') ? (bus.split('/').pop() ?? bus) : bus,
      ...(props.EventPattern !== undefined && { eventPattern: props.EventPattern }),
      ...(typeof props.ScheduleExpression === 'string' && { scheduleExpression: props.ScheduleExpression }),
      state: props.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      ...(typeof props.Description === 'string' && { description: props.Description }),
      targets: (props.Targets as RuleTarget[] | undefined) ?? [],
    };
  });

  const machines: StateMachineSpec[] = ofType('AWS::StepFunctions::StateMachine').map(([id, props]) => {
    const machine = nameOf(id);
    let definition = props.Definition ?? JSON.parse(String(props.DefinitionString));
    const substitutions = props.DefinitionSubstitutions as Record<string, string> | undefined;
    if (substitutions) {
      const text = JSON.stringify(definition).replace(/\$\{([^}]+)\}/g, (match, key: string) => substitutions[key] ?? match);
      definition = JSON.parse(text);
    }
    return {
      name: machine.name,
      arn: machine.arn,
      type: (props.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD') as MachineType,
      definition,
      ...(typeof props.RoleArn === 'string' && { roleArn: props.RoleArn }),
      logging: loggingSpec(props.LoggingConfiguration),
      tracing: (props.TracingConfiguration as { Enabled?: unknown } | undefined)?.Enabled === true,
    };
  });

  const schedules: ScheduleSpec[] = ofType('AWS::Scheduler::Schedule')
    .filter(([, props]) => props.State !== 'DISABLED')
    .map(([id, props]) => ({
      name: nameOf(id).name,
      expression: String(props.ScheduleExpression),
      timezone: String(props.ScheduleExpressionTimezone ?? 'UTC'),
      target: { Id: 'schedule', ...(props.Target as Omit<RuleTarget, 'Id'>) },
    }));

  const functionUrls: FunctionUrlSpec[] = ofType('AWS::Lambda::Url').map(([id, props]) => ({
    functionName: nameOf(id).name,
    authType: props.AuthType === 'AWS_IAM' ? 'AWS_IAM' : 'NONE',
  }));

  const secrets: SecretDefinition[] = ofType('AWS::SecretsManager::Secret').map(([id, props]) => {
    const secret = nameOf(id);
    return {
      name: secret.name,
      arn: secret.arn,
      ...(typeof props.SecretString === 'string' && { secretString: props.SecretString }),
      ...(props.GenerateSecretString !== undefined && { generate: props.GenerateSecretString as SecretDefinition['generate'] }),
    };
  });

  const sesDestinations = sesDestinationsFrom(
    [...ofType('AWS::SES::ConfigurationSet'), ...ofType('AWS::SES::ConfigurationSetEventDestination')].map(([, Properties, resource]) => ({
      Type: resource.Type,
      Properties,
    })),
  );

  const outputs = Object.fromEntries(Object.entries(stack.template.Outputs ?? {}).map(([key, output]) => [key, String(resolve(output.Value))]));

  return {
    stackName: stack.stackName,
    names,
    buses: ofType('AWS::Events::EventBus').map(([id]) => nameOf(id).name),
    queues,
    tables: ofType('AWS::DynamoDB::Table').map(([id]) => ({ logicalId: id, name: nameOf(id).name })),
    functions,
    mappings,
    rules,
    machines,
    schedules,
    functionUrls,
    secrets,
    sesDestinations,
    policies: readPolicies(stack.template, { region: env.region, accountId: env.accountId, resolve, arnOf: (logicalId) => nameOf(logicalId).arn }),
    outputs,
  };
}
