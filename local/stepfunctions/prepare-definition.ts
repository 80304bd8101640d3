/**
 * Prepares a state machine definition for the interpreter so that time follows the virtual clock:
 * every Wait state becomes a Task that waits on the clock, and every Task's `Retry` is taken off
 * and applied around the task by the local cloud (see retry.ts). Everything else — paths,
 * parameters, choices, catchers, intrinsic functions — is left to the interpreter, but for
 * `ResultPath: "$"`, which becomes its equivalent, no ResultPath, that the interpreter handles.
 */
import type { Retrier } from './retry.ts';

export const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::local:wait';

type State = Record<string, unknown> & { Type: string };
interface Definition {
  States: Record<string, State>;
  [key: string]: unknown;
}

export interface PreparedTask {
  readonly resource: string;
  readonly retry: readonly Retrier[];
  /** Present for a Wait state turned into a task. */
  readonly wait?: { Seconds?: number; Timestamp?: string; SecondsPath?: string; TimestampPath?: string };
  readonly timeoutSeconds?: number;
}

export interface PreparedDefinition {
  readonly definition: Definition;
  /** By state name: the interpreter finds local handlers by name. */
  readonly tasks: ReadonlyMap<string, PreparedTask>;
}

// Long enough that the interpreter's own (real-time) task timeout never fires, short enough for a timer.
const NO_TIMEOUT_SECONDS = 2_000_000;

export function prepareDefinition(original: unknown): PreparedDefinition {
  const tasks = new Map<string, PreparedTask>();

  const prepareStates = (definition: Definition): Definition => {
    const states: Record<string, State> = {};
    for (const [name, state] of Object.entries(definition.States)) {
      states[name] = prepareState(name, state);
    }
    return { ...definition, States: states };
  };

  const prepareState = (name: string, withResultPath: State): State => {
    // `ResultPath: "$"` means the default (the result replaces the input); the interpreter would
    // instead write the result under a key named "$".
    const { ResultPath, ...withoutResultPath } = withResultPath;
    const state = (ResultPath === '$' ? withoutResultPath : withResultPath) as State;
    if (tasks.has(name)) throw new Error(`state name ${name} is used twice; the local cloud needs unique Task and Wait state names`);
    switch (state.Type) {
      case 'Task': {
        const { Retry, TimeoutSeconds, ...rest } = state;
        tasks.set(name, {
          resource: String(state.Resource),
          retry: (Retry as Retrier[] | undefined) ?? [],
          ...(typeof TimeoutSeconds === 'number' && { timeoutSeconds: TimeoutSeconds }),
        });
        return { ...rest, TimeoutSeconds: NO_TIMEOUT_SECONDS };
      }
      case 'Wait': {
        const { Seconds, Timestamp, SecondsPath, TimestampPath, ...rest } = state;
        tasks.set(name, {
          resource: LOCAL_WAIT_RESOURCE,
          retry: [],
          wait: {
            ...(typeof Seconds === 'number' && { Seconds }),
            ...(typeof Timestamp === 'string' && { Timestamp }),
            ...(typeof SecondsPath === 'string' && { SecondsPath }),
            ...(typeof TimestampPath === 'string' && { TimestampPath }),
          },
        });
        // A Task without ResultPath replaces its input with its result; the wait returns its input.
        return { ...rest, Type: 'Task', Resource: LOCAL_WAIT_RESOURCE, TimeoutSeconds: NO_TIMEOUT_SECONDS };
      }
      case 'Parallel':
        return { ...state, Branches: (state.Branches as Definition[]).map(prepareStates) };
      case 'Map': {
        const key = state.ItemProcessor ? 'ItemProcessor' : 'Iterator';
        return { ...state, [key]: prepareStates(state[key] as Definition) };
      }
      default:
        return state;
    }
  };

  return { definition: prepareStates(original as Definition), tasks };
}
