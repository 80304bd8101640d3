/**
 * The one-time schedules that wake journey participants: created idempotently (a move retried
 * finds its schedule there) and deleted when a participant leaves before it fires (one that fired
 * deleted itself: ActionAfterCompletion DELETE).
 */
import { ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, type SchedulerClient } from '@aws-sdk/client-scheduler';

/** Scheduler's at(): the time to the second, in UTC. */
const atExpression = (at: Date) => `at(${new Date(Math.max(at.getTime(), 0)).toISOString().slice(0, 19)})`;

export async function createWakeSchedule(
  client: SchedulerClient,
  name: string,
  at: Date,
  target: { readonly arn: string; readonly roleArn: string; readonly input: unknown },
): Promise<void> {
  try {
    await client.send(
      new CreateScheduleCommand({
        Name: name,
        ScheduleExpression: atExpression(at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: { Arn: target.arn, RoleArn: target.roleArn, Input: JSON.stringify(target.input) },
      }),
    );
  } catch (error) {
    // Created before, by this same move retried: it is there.
    if (!(error instanceof ConflictException)) throw error;
  }
}

export async function deleteWakeSchedule(client: SchedulerClient, name: string): Promise<void> {
  try {
    await client.send(new DeleteScheduleCommand({ Name: name }));
  } catch (error) {
    // Fired and deleted itself, or never created: nothing left to cancel.
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
}
