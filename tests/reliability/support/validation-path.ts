/**
 * The validation path without the workflow around it: the stack's record function invoked through
 * the local cloud's endpoint with the AWS SDK (Lambda Invoke), given the event exactly as an
 * EventBridge rule delivers it. It validates and records as it does inside a stage workflow, but
 * starts nothing after (notices, journeys, stage changes), so thousands of cases cost seconds.
 */
import { randomUUID } from 'node:crypto';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { TestCloud } from '#tests/support/local-cloud.ts';
import type { Entry } from './schema-judge.ts';

export type ValidationResult =
  | { readonly accepted: true; readonly status: string }
  | { readonly accepted: false; readonly errorType: string; readonly reason: string };

export interface ValidationPath {
  validate(entry: Entry): Promise<ValidationResult>;
  destroy(): void;
}

export function validationPath(test: TestCloud): ValidationPath {
  const records = (test.cloud.stacks[0]?.functions ?? []).filter((fn) => /RecordEvent/i.test(fn.name));
  if (records.length !== 1) throw new Error(`expected one record function, found ${records.map((fn) => fn.name).join(', ') || 'none'}`);
  const functionName = records[0]?.name ?? '';
  const lambda = new LambdaClient({ endpoint: test.cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  return {
    async validate(entry) {
      const event = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: '000000000000',
        time: new Date(test.cloud.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: 'us-east-1',
        resources: [],
        detail: JSON.parse(entry.Detail) as unknown,
      };
      const response = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }));
      const payload = JSON.parse(Buffer.from(response.Payload ?? new Uint8Array()).toString('utf8') || '{}') as {
        status?: string;
        errorType?: string;
        errorMessage?: string;
      };
      return response.FunctionError
        ? { accepted: false, errorType: payload.errorType ?? response.FunctionError, reason: payload.errorMessage ?? '' }
        : { accepted: true, status: String(payload.status) };
    },
    destroy: () => lambda.destroy(),
  };
}
