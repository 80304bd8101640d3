/**
 * Where a CPU profile's time went, by component of the local cloud. Each sample goes to the
 * innermost frame on its stack that belongs to a known component (so `JSON.parse` called by the
 * edge counts as the edge's); samples with none are the runtime's (timers, promises, native code).
 */
import type { CpuProfile, ProfileNode } from './sampler.ts';

/** A component and the frames that are its: by script URL, or by function name within a URL. */
export interface ComponentRule {
  readonly component: string;
  readonly url: RegExp;
  readonly functionName?: RegExp;
}

const modules = (...names: string[]) => new RegExp(`/node_modules/(${names.join('|')})/`);

/** The local cloud's components, innermost first where one calls another. */
export const LOCAL_CLOUD_COMPONENTS: readonly ComponentRule[] = [
  {
    component: 'DynamoDB emulation (dynalite)',
    url: modules('dynalite', 'memory-level', 'abstract-level', 'level[^/]*', 'lazy', 'big\\.js', 'lock', 'async', 'buffer-crc32', 'once'),
  },
  {
    component: 'HTTP between components (node http, fetch)',
    url: /^node:(internal\/deps\/undici|_http_|net|internal\/http|internal\/streams|stream|internal\/stream_base)|_http_/,
  },
  { component: 'DynamoDB emulation (dynalite)', url: /\/local\/service-calls\.ts$/, functionName: /^callDynamo$/ },
  { component: 'DynamoDB metering', url: /\/local\/dynamodb\// },
  { component: 'signature checks', url: /\/local\/iam\/signature\.ts$|@smithy\/signature-v4/ },
  { component: 'IAM evaluation', url: /@cloud-copilot\/|\/local\/iam\// },
  { component: 'state-machine interpretation', url: /aws-local-stepfunctions|jsonpath-plus|p-limit|wildcard-match|\/local\/stepfunctions\// },
  { component: 'pattern matching', url: /\/local\/eventbridge\/event-pattern/ },
  { component: 'EventBridge (put, route, deliver)', url: /\/local\/eventbridge\/|\/local\/targets\.ts$/ },
  { component: 'Lambda service (invoke, worker messages)', url: /\/local\/lambda\// },
  { component: 'SQS', url: /\/local\/sqs\// },
  { component: 'SES and Scheduler', url: /aws-ses-v2-local|\/local\/ses\/|\/local\/scheduler|\/local\/service-calls\.ts$/ },
  { component: 'edge (parsing, routing)', url: /\/local\/edge\// },
  { component: 'clock, activity log, meters', url: /\/local\/(clock|activity-log|faults|at-least-once|usage-meter|local-cloud)\.ts$/ },
  { component: 'bench client (sending the burst)', url: /\/bench\/|\/local\/demo\/|\/shared\/|@aws-sdk\/client-eventbridge|tsx/ },
];

const SPECIAL: ReadonlyMap<string, string> = new Map([
  ['(garbage collector)', 'garbage collection'],
  ['(program)', 'V8 and native code (no JavaScript frame)'],
  ['(idle)', 'idle'],
]);
export const RUNTIME = 'Node runtime (timers, promises, AWS SDK internals)';

export interface ComponentTime {
  readonly component: string;
  readonly ms: number;
}

export interface HotFunction {
  readonly function: string;
  readonly selfMs: number;
}

export interface ProfileBreakdown {
  /** Sampled time that was not idle. */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly components: ComponentTime[];
  /** The functions with the most self time, for the next thing to look at. */
  readonly hottest: HotFunction[];
}

/** Time per sample, by node id (microseconds). */
function timeByNode(profile: CpuProfile): Map<number, number> {
  const time = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let n = 0; n < samples.length; n++) {
    const node = samples[n] ?? 0;
    // A sample's delta is the time since the previous sample: it stands for the next interval.
    time.set(node, (time.get(node) ?? 0) + Math.max(0, deltas[n + 1] ?? deltas[n] ?? 0));
  }
  return time;
}

function parents(nodes: readonly ProfileNode[]): Map<number, ProfileNode> {
  const parentOf = new Map<number, ProfileNode>();
  for (const node of nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  return parentOf;
}

const ruleFor = (node: ProfileNode, rules: readonly ComponentRule[]): string | undefined =>
  rules.find((rule) => rule.url.test(node.callFrame.url) && (!rule.functionName || rule.functionName.test(node.callFrame.functionName)))?.component;

/** Splits a profile's time among components by the rules. */
export function breakDown(profile: CpuProfile, rules: readonly ComponentRule[], fallback = RUNTIME): ProfileBreakdown {
  const parentOf = parents(profile.nodes);
  const byComponent = new Map<string, number>();
  const bySelf = new Map<string, number>();
  let idle = 0;
  const times = timeByNode(profile);
  for (const node of profile.nodes) {
    const time = times.get(node.id) ?? 0;
    if (time === 0) continue;
    const special = node.callFrame.url === '' ? SPECIAL.get(node.callFrame.functionName) : undefined;
    if (special === 'idle') {
      idle += time;
      continue;
    }
    let component = special;
    for (let frame: ProfileNode | undefined = node; !component && frame; frame = parentOf.get(frame.id)) component = ruleFor(frame, rules);
    byComponent.set(component ?? fallback, (byComponent.get(component ?? fallback) ?? 0) + time);
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(local|bench|shared)\//, '$1/')}:${lineNumber + 1}`;
    bySelf.set(name, (bySelf.get(name) ?? 0) + time);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const sorted = <T>(map: Map<string, number>, make: (key: string, us: number) => T) => [...map].sort((a, b) => b[1] - a[1]).map(([key, us]) => make(key, us));
  return {
    busyMs: ms([...byComponent.values()].reduce((sum, us) => sum + us, 0)),
    idleMs: ms(idle),
    components: sorted(byComponent, (component, us) => ({ component, ms: ms(us) })),
    hottest: sorted(bySelf, (fn, us) => ({ function: fn, selfMs: ms(us) })).slice(0, 30),
  };
}

/** The Lambda function a worker's profile ran: the asset directory its frames come from, named by `codeDirs`. */
export function functionOf(profile: CpuProfile, codeDirs: ReadonlyMap<string, string>): string {
  for (const node of profile.nodes) {
    for (const [dir, name] of codeDirs) if (node.callFrame.url.includes(dir)) return name;
  }
  return 'unknown';
}
