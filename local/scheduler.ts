/**
 * EventBridge Scheduler in the local cloud: each schedule from the template fires on the virtual
 * clock (rate, cron or at, in its time zone) and sends its target the schedule's input.
 */
import type { ActivityLog } from './activity-log.ts';
import type { Clock } from './clock.ts';
import type { ScheduleSpec } from './cloudformation/resources.ts';
import { parseSchedule } from './eventbridge/schedule.ts';

/** Arms every schedule; returns what cancels them. */
export function startSchedules(
  schedules: readonly ScheduleSpec[],
  clock: Clock,
  log: ActivityLog,
  send: (arn: string, input: string, roleArn: string | undefined) => Promise<void>,
): (() => void)[] {
  return schedules.map((schedule) => {
    const parsed = parseSchedule(schedule.expression, clock.now(), schedule.timezone);
    let cancel = () => {};
    const arm = (after: number) => {
      const next = parsed.next(after);
      if (next === undefined) return;
      cancel = clock.at(next, () => {
        log.record({ what: 'scheduler.fire', resource: schedule.name, outcome: 'fired' });
        send(schedule.target.Arn, schedule.target.Input ?? '{}', schedule.target.RoleArn).catch((error: unknown) =>
          log.record({ what: 'scheduler.fire', resource: schedule.name, outcome: 'failed', detail: (error as Error).message }),
        );
        arm(next);
      });
    };
    arm(clock.now());
    return () => cancel();
  });
}
