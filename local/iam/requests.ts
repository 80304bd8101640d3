/**
 * What a call asks IAM: the action and the resource ARN (with the request's condition keys) that
 * AWS authorizes an API call against, for the services the local cloud serves. A call may need
 * several (a batch write to two tables; CreateSchedule and passing its role).
 */

export interface IamRequest {
  readonly action: string;
  /** The resource ARN; with several, any one that is allowed suffices (SES's address or domain identity). */
  readonly resource: string | readonly string[];
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface RequestEnvironment {
  readonly region: string;
  readonly accountId: string;
  /** The partition key attribute of a table (or of one of its indexes). */
  readonly partitionKeyOf: (table: string, index?: string) => string | undefined;
}

type Input = Record<string, unknown>;
type AttributeValue = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const lastSegment = (value: string): string => value.split(/[/:]/).pop() ?? value;

/** The string form of a key attribute value (`{ S: 'x' }`, `{ N: '1' }`). */
const keyValue = (value: AttributeValue | undefined): string | undefined => (value ? (str(value.S) ?? str(value.N) ?? str(value.B)) : undefined);

function dynamoRequests(action: string, input: Input, env: RequestEnvironment): IamRequest[] {
  const tableArn = (table: string, index?: string) =>
    `arn:aws:dynamodb:${env.region}:${env.accountId}:table/${lastSegment(table)}${index ? `/index/${index}` : ''}`;
  const leading = (table: string, keys: (Record<string, AttributeValue> | undefined)[], index?: string) => {
    const attribute = env.partitionKeyOf(lastSegment(table), index);
    const values = attribute ? keys.map((key) => keyValue(key?.[attribute])).filter((value): value is string => value !== undefined) : [];
    return values.length > 0 ? { 'dynamodb:LeadingKeys': [...new Set(values)] } : undefined;
  };
  const request = (table: string, keys: (Record<string, AttributeValue> | undefined)[], iamAction = action, index?: string): IamRequest => {
    const context = leading(table, keys, index);
    return { action: `dynamodb:${iamAction}`, resource: tableArn(table, index), ...(context && { context }) };
  };
  const table = str(input.TableName);
  switch (action) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return table ? [request(table, [input.Key as Record<string, AttributeValue>])] : [];
    case 'PutItem':
      return table ? [request(table, [input.Item as Record<string, AttributeValue>])] : [];
    case 'Query': {
      if (!table) return [];
      const index = str(input.IndexName);
      return [request(table, [queryKey(input, env.partitionKeyOf(lastSegment(table), index))], action, index)];
    }
    case 'Scan':
      return table ? [{ action: 'dynamodb:Scan', resource: tableArn(table, str(input.IndexName)) }] : [];
    case 'BatchGetItem':
      return Object.entries((input.RequestItems ?? {}) as Record<string, { Keys?: Record<string, AttributeValue>[] }>).map(([name, entry]) =>
        request(name, entry.Keys ?? []),
      );
    case 'BatchWriteItem':
      return Object.entries(
        (input.RequestItems ?? {}) as Record<
          string,
          { PutRequest?: { Item: Record<string, AttributeValue> }; DeleteRequest?: { Key: Record<string, AttributeValue> } }[]
        >,
      ).flatMap(([name, writes]) => {
        const puts = writes.filter((write) => write.PutRequest).map((write) => write.PutRequest?.Item);
        const deletes = writes.filter((write) => write.DeleteRequest).map((write) => write.DeleteRequest?.Key);
        // A batch write is authorized as BatchWriteItem; its keys are the leading keys it touches.
        return [request(name, [...puts, ...deletes])];
      });
    case 'ListTables':
      return [{ action: 'dynamodb:ListTables', resource: '*' }];
    default:
      return table ? [{ action: `dynamodb:${action}`, resource: tableArn(table) }] : [{ action: `dynamodb:${action}`, resource: '*' }];
  }
}

/** The partition key value a Query's key condition fixes (`#pk = :pk`), as an item key. */
function queryKey(input: Input, attribute: string | undefined): Record<string, AttributeValue> | undefined {
  const condition = str(input.KeyConditionExpression);
  if (!attribute || !condition) return undefined;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
  for (const [, name, placeholder] of condition.matchAll(/([#\w.]+)\s*=\s*(:\w+)/g)) {
    if ((names[name ?? ''] ?? name) === attribute) return { [attribute]: values[placeholder ?? ''] ?? {} };
  }
  return undefined;
}

const SQS_BATCH_ACTIONS: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

function sqsRequests(action: string, input: Input, env: RequestEnvironment): IamRequest[] {
  const queue = str(input.QueueUrl) ?? str(input.QueueName);
  const iamAction = `sqs:${SQS_BATCH_ACTIONS[action] ?? action}`;
  if (!queue || action === 'ListQueues') return [{ action: iamAction, resource: '*' }];
  return [{ action: iamAction, resource: `arn:aws:sqs:${env.region}:${env.accountId}:${lastSegment(queue)}` }];
}

function eventsRequests(action: string, input: Input, env: RequestEnvironment): IamRequest[] {
  const busArn = (bus: unknown) => {
    const name = str(bus) ?? 'default';
    return name.startsWith('arn:') ? name : `arn:aws:events:${env.region}:${env.accountId}:event-bus/${name}`;
  };
  if (action === 'PutEvents') {
    const seen = new Map<string, IamRequest>();
    for (const entry of (input.Entries ?? []) as Input[]) {
      const request = {
        action: 'events:PutEvents',
        resource: busArn(entry.EventBusName),
        context: { 'events:source': String(entry.Source ?? ''), 'events:detail-type': String(entry.DetailType ?? '') },
      };
      seen.set(JSON.stringify(request), request);
    }
    return [...seen.values()];
  }
  const rule = str(input.Name) ?? str(input.Rule);
  if (rule) {
    const bus = str(input.EventBusName);
    const busName = bus ? lastSegment(bus) : 'default';
    return [
      { action: `events:${action}`, resource: `arn:aws:events:${env.region}:${env.accountId}:rule/${busName === 'default' ? '' : `${busName}/`}${rule}` },
    ];
  }
  if (input.EventBusName !== undefined) return [{ action: `events:${action}`, resource: busArn(input.EventBusName) }];
  return [{ action: `events:${action}`, resource: '*' }];
}

function statesRequests(action: string, input: Input): IamRequest[] {
  const resource = str(input.executionArn) ?? str(input.stateMachineArn) ?? '*';
  return [{ action: `states:${action}`, resource }];
}

function secretsRequests(action: string, input: Input, env: RequestEnvironment): IamRequest[] {
  const id = str(input.SecretId) ?? str(input.Name);
  if (!id) return [{ action: `secretsmanager:${action}`, resource: '*' }];
  return [{ action: `secretsmanager:${action}`, resource: id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${env.region}:${env.accountId}:secret:${id}` }];
}

/** A call to one of the JSON-protocol services, by its `X-Amz-Target` prefix. */
export function jsonServiceRequests(targetPrefix: string, action: string, input: Input, env: RequestEnvironment): IamRequest[] {
  switch (targetPrefix) {
    case 'DynamoDB_20120810':
      return dynamoRequests(action, input, env);
    case 'AmazonSQS':
      return sqsRequests(action, input, env);
    case 'AWSEvents':
      return eventsRequests(action, input, env);
    case 'AWSStepFunctions':
      return statesRequests(action, input);
    case 'secretsmanager':
      return secretsRequests(action, input, env);
    default:
      return [];
  }
}

/** SES v2 SendEmail: the sending identity (the address or its domain) and the configuration set. */
export function sesSendRequests(input: Input, env: RequestEnvironment): IamRequest[] {
  const arn = (resource: string) => `arn:aws:ses:${env.region}:${env.accountId}:${resource}`;
  const from = /<([^>]+)>/.exec(String(input.FromEmailAddress ?? ''))?.[1] ?? String(input.FromEmailAddress ?? '');
  const domain = from.split('@')[1];
  const requests: IamRequest[] = [{ action: 'ses:SendEmail', resource: [arn(`identity/${from}`), ...(domain ? [arn(`identity/${domain}`)] : [])] }];
  const configurationSet = str(input.ConfigurationSetName);
  if (configurationSet) requests.push({ action: 'ses:SendEmail', resource: arn(`configuration-set/${configurationSet}`) });
  return requests;
}

const SCHEDULER_ACTIONS: Record<string, string> = { POST: 'CreateSchedule', PUT: 'UpdateSchedule', DELETE: 'DeleteSchedule', GET: 'GetSchedule' };

/** A REST call on the edge (Lambda Invoke, Scheduler, SES v2), by method and path; none for others. */
export function restRequests(method: string, url: string, body: Buffer, env: RequestEnvironment): IamRequest[] {
  const parsed = new URL(url, 'http://local');
  const path = parsed.pathname;
  const json = (): Input => (body.length > 0 ? (JSON.parse(body.toString('utf8')) as Input) : {});
  const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(path);
  if (invoke) {
    const name = decodeURIComponent(invoke[1] ?? '');
    const functionArn = name.startsWith('arn:') ? name.split(':').slice(0, 7).join(':') : `arn:aws:lambda:${env.region}:${env.accountId}:function:${name}`;
    return [{ action: 'lambda:InvokeFunction', resource: functionArn }];
  }
  const schedule = /^\/schedules(?:\/([^/]+))?\/?$/.exec(path);
  if (schedule) {
    if (schedule[1] === undefined) return [{ action: 'scheduler:ListSchedules', resource: '*' }];
    const action = SCHEDULER_ACTIONS[method.toUpperCase()] ?? 'GetSchedule';
    const input = action === 'CreateSchedule' || action === 'UpdateSchedule' ? json() : {};
    const group = str(input.GroupName) ?? parsed.searchParams.get('groupName') ?? 'default';
    const requests: IamRequest[] = [
      { action: `scheduler:${action}`, resource: `arn:aws:scheduler:${env.region}:${env.accountId}:schedule/${group}/${decodeURIComponent(schedule[1])}` },
    ];
    const role = str((input.Target as Input | undefined)?.RoleArn);
    if (role) requests.push({ action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    return requests;
  }
  if (path === '/v2/email/outbound-emails' && method.toUpperCase() === 'POST') return sesSendRequests(json(), env);
  return [];
}

/** Sending to a target by ARN (a rule, a schedule, a destination): what the sender needs. */
export function deliveryRequest(arn: string): IamRequest {
  switch (arn.split(':')[2]) {
    case 'sqs':
      return { action: 'sqs:SendMessage', resource: arn };
    case 'lambda':
      return { action: 'lambda:InvokeFunction', resource: arn };
    case 'states':
      return { action: 'states:StartExecution', resource: arn };
    case 'events':
      return { action: 'events:PutEvents', resource: arn };
    default:
      return { action: `${arn.split(':')[2] ?? 'unknown'}:Send`, resource: arn };
  }
}
