/**
 * Where a command talks to: the local cloud (the default, on http://127.0.0.1:4566, or
 * `--endpoint`), or a deployed stack (`--stack NAME`), whose outputs name the bus and the table.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { Option, type Command } from 'commander';
import type { ConsentMode } from '#shared/outreach/consent.ts';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4566';

export interface TargetOptions {
  readonly endpoint?: string;
  readonly stack?: string;
  readonly region?: string;
}

export interface Target {
  /** The local cloud's endpoint; absent for a deployed stack (the SDK's default endpoints). */
  readonly endpoint?: string;
  readonly region: string;
  readonly busName: string;
  readonly tableName: string;
  /** Every output of the stack. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Whether marketing email needs an opt-in, as the stack was deployed. */
  readonly consentMode: ConsentMode;
  /** The target's time: the local cloud's virtual clock, or the real one for a deployed stack. */
  readonly now: () => number;
  /** Settings for an AWS SDK client. */
  readonly clientConfig: { region: string; endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } };
}

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

/** Adds --endpoint, --stack and --region to a command. */
export function withTargetOptions(command: Command): Command {
  return command
    .addOption(new Option('--endpoint <url>', 'the local cloud endpoint').env('LIFECYCLE_ENDPOINT'))
    .addOption(new Option('--stack <name>', 'a deployed stack (e.g. Lifecycle-prod), instead of the local cloud'))
    .addOption(new Option('--region <region>', 'AWS region of the deployed stack').env('AWS_REGION'));
}

interface LocalHealth {
  readonly outputs: Record<string, string>;
  /** The virtual clock's time and speed when asked. */
  readonly now: string;
  readonly speed: number;
}

async function localHealth(endpoint: string): Promise<LocalHealth> {
  let response: Response;
  try {
    response = await fetch(`${endpoint}/_local/health`);
  } catch {
    throw new TargetError(`no local cloud answers at ${endpoint}: start it with npm start (or pass --stack NAME for a deployed stack)`);
  }
  const health = (await response.json()) as { outputs?: Record<string, Record<string, string>>; now: string; speed: number };
  const [outputs] = Object.values(health.outputs ?? {});
  if (!outputs) throw new TargetError(`the local cloud at ${endpoint} runs no stack`);
  return { outputs, now: health.now, speed: health.speed };
}

async function stackOutputs(stackName: string, region: string): Promise<Record<string, string>> {
  const client = new CloudFormationClient({ region });
  try {
    const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Object.fromEntries((Stacks[0]?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
  } finally {
    client.destroy();
  }
}

export async function resolveTarget(options: TargetOptions): Promise<Target> {
  if (options.stack) {
    const region = options.region ?? 'us-east-1';
    return deployedTarget(await stackOutputs(options.stack, region), region);
  }
  const endpoint = options.endpoint ?? DEFAULT_ENDPOINT;
  const health = await localHealth(endpoint);
  const region = 'us-east-1';
  const [virtualAt, realAt] = [Date.parse(health.now), Date.now()];
  return {
    endpoint,
    region,
    ...fromOutputs(health.outputs),
    now: () => virtualAt + (Date.now() - realAt) * health.speed,
    clientConfig: { region, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
  };
}

/**
 * A deployed stack known by its outputs, reached with the standard credentials: the CLI's with
 * `--stack`, and the deployed console's, which is given the outputs when the stack is built.
 */
export function deployedTarget(outputs: Record<string, string>, region: string): Target {
  return { region, ...fromOutputs(outputs), now: () => Date.now(), clientConfig: { region } };
}

function need(outputs: Record<string, string>, key: string): string {
  const value = outputs[key];
  if (!value) throw new TargetError(`the stack has no ${key} output`);
  return value;
}

function fromOutputs(outputs: Record<string, string>): Pick<Target, 'busName' | 'tableName' | 'outputs' | 'consentMode'> {
  const consentMode = outputs.ConsentMode === 'opt-out' ? 'opt-out' : 'opt-in';
  return { busName: need(outputs, 'EventBusName'), tableName: need(outputs, 'ProfileTableName'), outputs, consentMode };
}
