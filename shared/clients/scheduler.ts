/** The EventBridge Scheduler client, one per process. */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { singleton } from './singleton.ts';

export const schedulerClient = singleton(() => new SchedulerClient({}));
