import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

let shared: SFNClient | undefined;

/** The Step Functions client, one per process. */
export function stepFunctionsClient(): SFNClient {
  shared ??= new SFNClient({});
  return shared;
}

/** Starts an execution by name; 'exists' when that name was started before. */
export async function startNamedExecution(client: SFNClient, stateMachineArn: string, name: string, input: string): Promise<'started' | 'exists'> {
  try {
    await client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
    return 'started';
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return 'exists';
    throw error;
  }
}
