/**
 * How the local cloud names what a template declares: each resource's physical name, and what
 * `Ref` and `Fn::GetAtt` return for it, as CloudFormation would (a queue's Ref is its URL, a state
 * machine's its ARN, a function's its name…). Names given in the template are kept; the others are
 * derived from the stack name and logical id.
 */
import { createHash } from 'node:crypto';
import type { StackTemplate } from './assembly.ts';
import { resolveIntrinsics, type Namer, type Pseudo } from './intrinsics.ts';

export interface Names {
  readonly name: string;
  readonly arn: string;
  /** What `{ Ref }` returns. */
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface LocalEnvironment extends Pseudo {
  /** The edge endpoint, for queue URLs. */
  readonly endpoint: string;
}

const literal = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A stable id of `length` letters and digits, from a name: the same resource gets the same id every run. */
function idFrom(name: string, length: number): string {
  const digest = createHash('sha256').update(name).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** Physical names CloudFormation would generate are unique and bounded; ours are readable. */
function generatedName(stackName: string, logicalId: string, max = 64): string {
  return `${stackName}-${logicalId}`.slice(0, max);
}

export function namesFor(logicalId: string, type: string, properties: Record<string, unknown>, env: LocalEnvironment): Names {
  const { region: r, accountId: a, stackName } = env;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${r}:${a}:${resource}`;
  switch (type) {
    case 'AWS::Events::EventBus': {
      const name = literal(properties.Name) ?? generatedName(stackName, logicalId);
      const busArn = arn('events', `event-bus/${name}`);
      return { name, arn: busArn, ref: name, attributes: { Arn: busArn, Name: name } };
    }
    case 'AWS::Events::Rule': {
      const name = literal(properties.Name) ?? generatedName(stackName, logicalId);
      const bus = literal(properties.EventBusName);
      const ruleArn = arn('events', bus && bus !== 'default' ? `rule/${bus}/${name}` : `rule/${name}`);
      return { name, arn: ruleArn, ref: name, attributes: { Arn: ruleArn } };
    }
    case 'AWS::Events::Archive': {
      const name = literal(properties.ArchiveName) ?? generatedName(stackName, logicalId, 48);
      const archiveArn = arn('events', `archive/${name}`);
      return { name, arn: archiveArn, ref: name, attributes: { Arn: archiveArn } };
    }
    case 'AWS::SQS::Queue': {
      const fifo = properties.FifoQueue === true || properties.FifoQueue === 'true';
      const name = literal(properties.QueueName) ?? `${generatedName(stackName, logicalId, fifo ? 75 : 80)}${fifo ? '.fifo' : ''}`;
      const url = `${env.endpoint}/${a}/${name}`;
      const queueArn = arn('sqs', name);
      return { name, arn: queueArn, ref: url, attributes: { Arn: queueArn, QueueName: name, QueueUrl: url } };
    }
    case 'AWS::Lambda::Function': {
      const name = literal(properties.FunctionName) ?? generatedName(stackName, logicalId);
      const functionArn = arn('lambda', `function:${name}`);
      return { name, arn: functionArn, ref: name, attributes: { Arn: functionArn } };
    }
    case 'AWS::StepFunctions::StateMachine': {
      const name = literal(properties.StateMachineName) ?? generatedName(stackName, logicalId, 80);
      const machineArn = arn('states', `stateMachine:${name}`);
      return { name, arn: machineArn, ref: machineArn, attributes: { Arn: machineArn, Name: name } };
    }
    case 'AWS::DynamoDB::Table': {
      const name = literal(properties.TableName) ?? generatedName(stackName, logicalId, 255);
      const tableArn = arn('dynamodb', `table/${name}`);
      return { name, arn: tableArn, ref: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/local` } };
    }
    case 'AWS::SNS::Topic': {
      const name = literal(properties.TopicName) ?? generatedName(stackName, logicalId, 256);
      const topicArn = arn('sns', name);
      return { name, arn: topicArn, ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = literal(properties.LogGroupName) ?? `/local/${generatedName(stackName, logicalId, 200)}`;
      const groupArn = arn('logs', `log-group:${name}:*`);
      return { name, arn: groupArn, ref: name, attributes: { Arn: groupArn } };
    }
    case 'AWS::IAM::Role': {
      const name = literal(properties.RoleName) ?? generatedName(stackName, logicalId);
      const roleArn = `arn:aws:iam::${a}:role/${name}`;
      return { name, arn: roleArn, ref: name, attributes: { Arn: roleArn, RoleId: name } };
    }
    case 'AWS::EventSchemas::Registry': {
      const name = literal(properties.RegistryName) ?? generatedName(stackName, logicalId);
      const registryArn = arn('schemas', `registry/${name}`);
      return { name, arn: registryArn, ref: registryArn, attributes: { RegistryArn: registryArn, RegistryName: name } };
    }
    case 'AWS::SecretsManager::Secret': {
      const name = literal(properties.Name) ?? generatedName(stackName, logicalId);
      const secretArn = arn('secretsmanager', `secret:${name}`);
      return { name, arn: secretArn, ref: secretArn, attributes: { Id: secretArn } };
    }
    case 'AWS::SES::ConfigurationSet': {
      const name = literal(properties.Name) ?? generatedName(stackName, logicalId);
      return { name, arn: arn('ses', `configuration-set/${name}`), ref: name, attributes: {} };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const name = literal(properties.ManagedPolicyName) ?? generatedName(stackName, logicalId, 128);
      const policyArn = `arn:aws:iam::${a}:policy/${name}`;
      return { name, arn: policyArn, ref: policyArn, attributes: { PolicyArn: policyArn } };
    }
    case 'AWS::SSM::Parameter': {
      const name = literal(properties.Name) ?? generatedName(stackName, logicalId);
      return {
        name,
        arn: arn('ssm', `parameter/${name.replace(/^\//, '')}`),
        ref: name,
        attributes: { Type: 'String', Value: String(properties.Value ?? '') },
      };
    }
    case 'AWS::Cognito::UserPool': {
      // A pool's id is `<region>_<9 letters and digits>` (libraries that verify its tokens check the form).
      const id = `${r}_${idFrom(`${stackName}/${logicalId}`, 9)}`;
      const poolArn = arn('cognito-idp', `userpool/${id}`);
      return {
        name: literal(properties.UserPoolName) ?? generatedName(stackName, logicalId, 128),
        arn: poolArn,
        ref: id,
        attributes: { Arn: poolArn, ProviderName: `cognito-idp.${r}.amazonaws.com/${id}`, UserPoolId: id },
      };
    }
    case 'AWS::Cognito::UserPoolClient': {
      // A client's id is 26 lower-case letters and digits.
      const id = idFrom(`${stackName}/${logicalId}`, 26).toLowerCase();
      return { name: literal(properties.ClientName) ?? generatedName(stackName, logicalId, 128), arn: '', ref: id, attributes: { ClientId: id, Name: id } };
    }
    default: {
      const name = generatedName(stackName, logicalId);
      const otherArn = arn('local', `${type.replace(/::/g, '-').toLowerCase()}/${name}`);
      return { name, arn: otherArn, ref: name, attributes: { Arn: otherArn } };
    }
  }
}

/** The names of every resource in a template, and a `Namer` that resolves references to them. */
export function nameResources(template: StackTemplate, env: LocalEnvironment): { names: ReadonlyMap<string, Names>; namer: Namer } {
  const names = new Map<string, Names>();
  // Resources named after another resource are named once that one is: in this order.
  const later: Record<string, [string, Record<string, unknown>][]> = {
    'AWS::StepFunctions::StateMachineVersion': [],
    'AWS::StepFunctions::StateMachineAlias': [],
    'AWS::Lambda::Url': [],
  };
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const queue = later[resource.Type];
    if (queue) queue.push([logicalId, resource.Properties ?? {}]);
    else names.set(logicalId, namesFor(logicalId, resource.Type, resource.Properties ?? {}, env));
  }
  const namer: Namer = {
    ref: (logicalId) => {
      const found = names.get(logicalId);
      if (found) return found.ref;
      const parameter = template.Parameters?.[logicalId];
      if (parameter) return String(parameter.Default ?? '');
      throw new Error(`Ref to unknown resource ${logicalId}`);
    },
    getAtt: (logicalId, attribute) => {
      const found = names.get(logicalId);
      const value = found?.attributes[attribute];
      if (value === undefined) throw new Error(`Fn::GetAtt ${logicalId}.${attribute} is not known to the local cloud`);
      return value;
    },
  };
  // A version and an alias qualify their state machine's ARN (the local cloud runs the machine).
  for (const [logicalId, properties] of later['AWS::StepFunctions::StateMachineVersion'] ?? []) {
    const versionArn = `${String(resolveIntrinsics(properties.StateMachineArn, namer, env))}:1`;
    names.set(logicalId, { name: versionArn, arn: versionArn, ref: versionArn, attributes: { Arn: versionArn, Version: '1' } });
  }
  for (const [logicalId, properties] of later['AWS::StepFunctions::StateMachineAlias'] ?? []) {
    const routing = properties.RoutingConfiguration as { StateMachineVersionArn?: unknown }[] | undefined;
    const versionArn = String(resolveIntrinsics(routing?.[0]?.StateMachineVersionArn, namer, env));
    const aliasArn = `${versionArn.replace(/:\d+$/, '')}:${String(properties.Name ?? logicalId)}`;
    names.set(logicalId, { name: aliasArn, arn: aliasArn, ref: aliasArn, attributes: { Arn: aliasArn } });
  }
  // A function URL is named after its function, which is named by now.
  for (const [logicalId, properties] of later['AWS::Lambda::Url'] ?? []) {
    const functionArn = String(resolveIntrinsics(properties.TargetFunctionArn, namer, env));
    const functionName = functionArn.startsWith('arn:') ? (functionArn.split(':')[6] ?? functionArn) : functionArn;
    const url = `${env.endpoint}/lambda-url/${functionName}/`;
    names.set(logicalId, {
      name: functionName,
      arn: functionArn,
      ref: functionArn,
      attributes: { FunctionUrl: url, FunctionArn: functionArn, UrlId: functionName },
    });
  }
  return { names, namer };
}
