/**
 * Journey cost under two designs, from one run: the design the stack runs (measured), and a
 * design where participants wait in EventBridge Scheduler one-time schedules with their state in
 * DynamoDB (modelled from the same run's counts). The model keeps everything journeys do — the
 * launcher's trigger gate, the runtime's reads and its writes of memberships and metrics — and
 * replaces the state machine: no transitions; one function invocation when a participant enters
 * and one each time it wakes (a wait ends, a waited-for event or its timeout, a goal or leave
 * event), each writing the participant's state (one unit) and reading what the runtime reads
 * twice (the exit check and the step); one Scheduler invocation for each wait.
 */
import type { CloudUsage } from '#local/local-cloud.ts';
import { XRAY_SAMPLING_RATE, logsUsdPerGb } from './cost-model.ts';
import { PRICES } from './prices.ts';

const GB = 1024 ** 3;

export interface JourneyCounts {
  readonly entries: number;
  /** Runs that ended on a goal or a leave event: each is a wake-up the event causes. */
  readonly exits: number;
  readonly customers: number;
  readonly months: number;
}

export interface DesignCost {
  readonly design: string;
  readonly measured: boolean;
  readonly totalUsd: number;
  readonly perEntryUsd: number;
  readonly perCustomerMonthUsd: number;
}

/** Wake-ups the run's journeys waited for: duration and time waits, and waits for an event (slices aside). */
export function wakeUps(states: Readonly<Record<string, number>>): number {
  return Object.entries(states).reduce((sum, [name, count]) => sum + (/^Wait (?!a while )/.test(name) || name.startsWith('Start waiting ') ? count : 0), 0);
}

function per(total: number, counts: JourneyCounts, design: string, measured: boolean): DesignCost {
  return {
    design,
    measured,
    totalUsd: total,
    perEntryUsd: counts.entries === 0 ? 0 : total / counts.entries,
    perCustomerMonthUsd: total / counts.customers / counts.months,
  };
}

/** The scheduled design, from the run's usage; `isRuntime` and `isLauncher` pick the journey functions by name. */
export function scheduledDesignUsd(usage: CloudUsage, counts: JourneyCounts, isRuntime: (name: string) => boolean, isLauncher: (name: string) => boolean, logRetentionDays: number): number {
  const perGb = logsUsdPerGb(logRetentionDays);
  const functionCost = (include: (name: string) => boolean, reads: number) => {
    const picked = Object.entries(usage.lambda).filter(([name]) => include(name));
    const requests = picked.reduce((sum, [, each]) => sum + each.requests, 0);
    const usd = picked.reduce(
      (sum, [, each]) =>
        sum +
        each.requests * PRICES.lambdaRequest.usd +
        each.gbSeconds * PRICES.lambdaArmGbSecond.usd +
        ((each.logBytes + each.platformLogBytes) / GB) * perGb +
        (each.tracing ? each.requests * XRAY_SAMPLING_RATE * PRICES.xrayTrace.usd : 0),
      0,
    );
    return { requests, usd: usd + reads * PRICES.dynamoReadUnit.usd };
  };
  const units = (include: (name: string) => boolean) =>
    Object.entries(usage.dynamodb.byCaller)
      .filter(([caller]) => include(caller))
      .reduce((sum, [, each]) => ({ reads: sum.reads + each.readUnits, writes: sum.writes + each.writeUnits + each.indexWriteUnits }), { reads: 0, writes: 0 });
  const runtimeUnits = units(isRuntime);
  const runtime = functionCost(isRuntime, 0);
  const perInvocation = runtime.requests === 0 ? 0 : runtime.usd / runtime.requests;
  const readsPerInvocation = runtime.requests === 0 ? 0 : runtimeUnits.reads / runtime.requests;
  const launcher = functionCost(isLauncher, units(isLauncher).reads);
  const wakes = wakeUps(usage.stepFunctions.standardStates) + counts.exits;
  const invocations = counts.entries + wakes;
  return (
    launcher.usd +
    units(isLauncher).writes * PRICES.dynamoWriteUnit.usd +
    runtimeUnits.writes * PRICES.dynamoWriteUnit.usd +
    invocations * (perInvocation + PRICES.dynamoWriteUnit.usd + 2 * readsPerInvocation * PRICES.dynamoReadUnit.usd) +
    wakeUps(usage.stepFunctions.standardStates) * PRICES.schedulerInvocation.usd
  );
}

export function compareDesigns(measuredUsd: number, scheduledUsd: number, counts: JourneyCounts): DesignCost[] {
  return [
    per(measuredUsd, counts, 'Standard state machine per journey, waiting in Wait states and in slices for events (deployed)', true),
    per(scheduledUsd, counts, 'Participant state in DynamoDB, waits in Scheduler one-time schedules, one function step per wake-up (modelled)', false),
  ];
}
