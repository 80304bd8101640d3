/**
 * What a rule's target receives for an event, worked out the way EventBridge works it out: the
 * whole event, a constant `Input`, the part an `InputPath` selects, or an `InputTransformer`'s
 * template filled from its `InputPathsMap`. A redrive needs it to hand an AWS service's event
 * straight to the target, as the rule would have: PutEvents cannot put such an event back.
 */
import type { Target } from '@aws-sdk/client-eventbridge';

/** Thrown when a target's input uses a path this reading of the rule does not follow. */
export class TargetInputError extends Error {
  override readonly name = 'TargetInputError';
}

/** `$.detail.mail.messageId`: the dotted paths EventBridge allows in InputPath and InputPathsMap. */
function read(event: unknown, path: string): unknown {
  if (path === '$') return event;
  if (!/^\$(\.[A-Za-z0-9_-]+)+$/.test(path)) throw new TargetInputError(`the path ${path} is not a dotted JSON path`);
  let value: unknown = event;
  for (const key of path.slice(2).split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/**
 * Writes each `<name>`: inside a JSON string as its text, elsewhere as its JSON. A template that is
 * not JSON (plain text) takes every value as its text.
 */
function fill(template: string, values: ReadonlyMap<string, unknown>): string {
  const plainText = !/^\s*[[{"]/.test(template);
  let out = '';
  let inString = plainText;
  for (let at = 0; at < template.length; at++) {
    const char = template.charAt(at);
    if (char === '"' && !plainText && template.charAt(at - 1) !== '\\') inString = !inString;
    const end = char === '<' ? template.indexOf('>', at) : -1;
    const name = end > at ? template.slice(at + 1, end) : '';
    if (!values.has(name)) {
      out += char;
      continue;
    }
    const value = values.get(name);
    if (!inString) out += JSON.stringify(value ?? null);
    else {
      const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
      out += plainText ? text : JSON.stringify(text).slice(1, -1);
    }
    at = end;
  }
  return out;
}

/**
 * The text the target receives for the event.
 *
 * @example
 * targetInput({ InputTransformer: { InputPathsMap: { time: '$.time' }, InputTemplate: '{"at":<time>}' } }, event, ruleArn);
 * // '{"at":"2026-11-22T02:00:00Z"}'
 * @throws TargetInputError when a path is not one EventBridge allows
 */
export function targetInput(target: Pick<Target, 'Input' | 'InputPath' | 'InputTransformer'>, event: Record<string, unknown>, ruleArn: string): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(read(event, target.InputPath) ?? null);
  if (!target.InputTransformer) return JSON.stringify(event);
  const values = new Map<string, unknown>([
    ['aws.events.rule-arn', ruleArn],
    ['aws.events.rule-name', ruleArn.split('/').pop() ?? ''],
    ['aws.events.event.ingestion-time', event.time],
    ['aws.events.event', event],
    ['aws.events.event.json', event],
  ]);
  for (const [name, path] of Object.entries(target.InputTransformer.InputPathsMap ?? {})) values.set(name, read(event, path));
  return fill(target.InputTransformer.InputTemplate ?? '', values);
}
