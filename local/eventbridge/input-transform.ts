/**
 * What a rule target receives: the whole event, a constant `Input`, the part an `InputPath`
 * selects, or an `InputTransformer`'s template filled from `InputPathsMap`. As in EventBridge, a
 * placeholder inside a JSON string is replaced by the value's text, one outside by its JSON.
 */
import { readPath } from '../stepfunctions/json-path.ts';

export interface TargetInput {
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Record<string, string>; readonly InputTemplate: string };
}

export interface RuleInfo {
  readonly ruleArn: string;
  readonly ruleName: string;
}

function predefined(event: Record<string, unknown>, rule: RuleInfo): Record<string, unknown> {
  return {
    'aws.events.rule-arn': rule.ruleArn,
    'aws.events.rule-name': rule.ruleName,
    'aws.events.event.ingestion-time': event.time,
    'aws.events.event': event,
    'aws.events.event.json': event,
  };
}

/** Fills `<name>` placeholders, tracking whether each sits inside a JSON string. */
export function fillTemplate(template: string, values: Record<string, unknown>): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (char === '"' && template[i - 1] !== '\\') inString = !inString;
    if (char === '<') {
      const end = template.indexOf('>', i);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (name && Object.hasOwn(values, name)) {
        const value = values[name];
        if (inString) {
          const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
          out += JSON.stringify(text).slice(1, -1);
        } else {
          out += value === undefined ? 'null' : JSON.stringify(value);
        }
        i = end;
        continue;
      }
    }
    out += char;
  }
  return out;
}

/** The text a target receives for an event. */
export function targetInput(target: TargetInput, event: Record<string, unknown>, rule: RuleInfo): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(readPath(event, target.InputPath) ?? null);
  if (target.InputTransformer) {
    const values: Record<string, unknown> = predefined(event, rule);
    for (const [name, path] of Object.entries(target.InputTransformer.InputPathsMap ?? {})) values[name] = readPath(event, path);
    const template = target.InputTransformer.InputTemplate;
    const isJson = /^\s*[[{"]/.test(template);
    if (isJson) return fillTemplate(template, values);
    // A plain-text template: values go in as their text.
    return template.replace(/<([^<>]+)>/g, (match, name: string) => {
      if (!Object.hasOwn(values, name)) return match;
      const value = values[name];
      return typeof value === 'string' ? value : JSON.stringify(value ?? null);
    });
  }
  return JSON.stringify(event);
}
