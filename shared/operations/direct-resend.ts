/**
 * Sending a dead letter straight to where it was going, not through the bus: an AWS service's
 * event to the rule target EventBridge could not deliver it to, and what a function failed on back
 * to that function. The target's own settings are read from the rule (ListTargetsByRule), so the
 * target gets what the rule would have given it. Each message is sent on its own and its outcome
 * reported on its own: one refused message leaves the others going.
 */
import { ListTargetsByRuleCommand, type EventBridgeClient, type Target } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { printableName, type Resend } from './dead-letters.ts';
import { TargetInputError, targetInput } from './target-input.ts';

export type DirectResend = Extract<Resend, { to: 'rule-target' | 'function' }>;

export interface DirectDeps {
  readonly events: EventBridgeClient;
  readonly lambda: LambdaClient;
  readonly sfn: SFNClient;
  readonly sqs: SQSClient;
}

/** Each rule's targets, read once per redrive. */
export type RuleTargets = Map<string, Promise<readonly Target[]>>;

type Outcome = { readonly ok: true } | { readonly ok: false; readonly code: string };

/** `arn:aws:events:<region>:<account>:rule/[<bus>/]<name>`: the rule and its bus. */
function ruleOf(ruleArn: string): { rule: string; bus: string } | undefined {
  const path = ruleArn.split(':').slice(5).join(':');
  const [kind, ...names] = path.split('/');
  if (kind !== 'rule' || names.length < 1 || names.length > 2) return undefined;
  return names.length === 2 ? { bus: names[0] ?? '', rule: names[1] ?? '' } : { bus: 'default', rule: names[0] ?? '' };
}

async function listTargets(events: EventBridgeClient, rule: string, bus: string): Promise<readonly Target[]> {
  const targets: Target[] = [];
  let token: string | undefined;
  do {
    const page = await events.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: bus, ...(token && { NextToken: token }) }));
    targets.push(...(page.Targets ?? []));
    token = page.NextToken;
  } while (token);
  return targets;
}

/** An asynchronous invocation, as EventBridge and Lambda's retries make it. */
async function invokeAsync(lambda: LambdaClient, functionArn: string, payload: string): Promise<Outcome> {
  const { StatusCode } = await lambda.send(new InvokeCommand({ FunctionName: functionArn, InvocationType: 'Event', Payload: Buffer.from(payload) }));
  return StatusCode === 202 ? { ok: true } : { ok: false, code: `InvokeStatus${StatusCode ?? 'Missing'}` };
}

async function toTarget(deps: DirectDeps, target: Target, input: string): Promise<Outcome> {
  const arn = target.Arn ?? '';
  const [, , service = '', , account = '', name = ''] = arn.split(':');
  switch (service) {
    case 'lambda':
      return invokeAsync(deps.lambda, arn, input);
    case 'states':
      await deps.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input }));
      return { ok: true };
    case 'sqs': {
      const { QueueUrl } = await deps.sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
      const groupId = target.SqsParameters?.MessageGroupId;
      await deps.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: input, ...(groupId && { MessageGroupId: groupId }) }));
      return { ok: true };
    }
    default:
      return { ok: false, code: 'UnsupportedTarget' };
  }
}

async function toRuleTarget(deps: DirectDeps, resend: Extract<DirectResend, { to: 'rule-target' }>, targets: RuleTargets): Promise<Outcome> {
  const rule = ruleOf(resend.ruleArn);
  if (!rule) return { ok: false, code: 'InvalidRuleArn' };
  const listed = targets.get(resend.ruleArn) ?? listTargets(deps.events, rule.rule, rule.bus);
  targets.set(resend.ruleArn, listed);
  // The rule may have changed since: only a target it still has gets the event.
  const target = (await listed).find((candidate) => candidate.Arn === resend.targetArn);
  if (!target) return { ok: false, code: 'TargetNotFound' };
  return toTarget(deps, target, targetInput(target, JSON.parse(resend.event) as Record<string, unknown>, resend.ruleArn));
}

/**
 * Sends one message straight to its function or rule target.
 *
 * @returns `{ ok: false, code }` with the AWS error code when the call was refused; the message
 *   stays in its queue for the next redrive.
 */
export async function sendDirect(deps: DirectDeps, resend: DirectResend, targets: RuleTargets): Promise<Outcome> {
  try {
    return resend.to === 'function' ? await invokeAsync(deps.lambda, resend.functionArn, resend.payload) : await toRuleTarget(deps, resend, targets);
  } catch (error) {
    if (error instanceof TargetInputError) return { ok: false, code: error.name };
    // An AWS error names itself; anything else (a network failure) stops the redrive, as a failed batch call does.
    if (error instanceof Error && '$metadata' in error) return { ok: false, code: printableName(error.name) };
    throw error;
  }
}
