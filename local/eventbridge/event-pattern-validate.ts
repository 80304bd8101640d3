/**
 * The leaf half of the EventBridge event pattern language: checks one field's list of values
 * (`"state": ["a", { "prefix": "b" }, ...]`) the way EventBridge does and turns it into a
 * `LeafTest` that answers, for one JSON scalar of an event, whether any of the values matches.
 *
 * EventBridge runs patterns through AWS's Event Ruler, so the reasons given in errors are Ruler's
 * own wording (what the service puts after "Event pattern is not valid. Reason:"), except where
 * that wording names the wrong thing; every message also says at which field it went wrong.
 */
import { Buffer } from 'node:buffer';

/** Thrown for a pattern EventBridge would refuse; `message` says what is wrong, like AWS's InvalidEventPatternException messages. */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
}

/** Refuses the pattern. `where` is the path of the field, shown the way a reader writes it (`detail.$or[1].state`). */
export function invalid(reason: string, where: readonly string[] = []): never {
  const at = where.length > 0 ? ` (field: ${where.join('.')})` : '';
  throw new InvalidEventPatternError(`Event pattern is not valid. Reason: ${reason}${at}`);
}

/** A JSON object as written in a pattern (not an array, null, Date or other class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Answers for one scalar of the event (string, number, boolean or null). */
export type ValueMatcher = (value: unknown) => boolean;

/** One field's compiled list of alternatives; any one of them matching is enough. */
export interface LeafTest {
  /** Plain values, kept in sets so that the common case costs one lookup. */
  readonly strings: ReadonlySet<string>;
  readonly numbers: ReadonlySet<number>;
  readonly matchTrue: boolean;
  readonly matchFalse: boolean;
  readonly matchNull: boolean;
  /** `{ "exists": true }` / `{ "exists": false }`: decided by whether the field has a leaf value at all. */
  readonly existsTrue: boolean;
  readonly existsFalse: boolean;
  /** The operators (prefix, numeric, anything-but, ...), tried in order after the sets. */
  readonly others: readonly ValueMatcher[];
  /** Only `exists: false`: the field can be satisfied by nothing but its absence. */
  readonly absenceOnly: boolean;
}

/** Numeric matching is limited to this magnitude (Ruler's ComparableNumber); larger event values never match it. */
const NUMERIC_LIMIT = 5e9;
const NUMERIC_LIMIT_REASON = 'Value must be between -5.0E9 and 5.0E9, inclusive';

/** Checks and compiles the value list of one field. */
export function compileLeaf(values: readonly unknown[], where: readonly string[]): LeafTest {
  if (values.length === 0) invalid('Empty arrays are not allowed', where);
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const others: ValueMatcher[] = [];
  const flags = { matchTrue: false, matchFalse: false, matchNull: false, existsTrue: false, existsFalse: false };
  for (const value of values) {
    if (typeof value === 'string') {
      strings.add(value);
      // Ruler reads a plain value that is an IP address as that address, so "::1" also matches "0:0:0:0:0:0:0:1".
      const ip = parseIp(value);
      if (ip) others.push((v) => typeof v === 'string' && sameIp(ip, v));
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      numbers.add(value);
    } else if (typeof value === 'boolean') {
      if (value) flags.matchTrue = true;
      else flags.matchFalse = true;
    } else if (value === null) {
      flags.matchNull = true;
    } else if (isPlainObject(value)) {
      const compiled = compileExpression(value, where);
      if (compiled === true) flags.existsTrue = true;
      else if (compiled === false) flags.existsFalse = true;
      else others.push(compiled);
    } else {
      invalid('Match value must be String, number, true, false, or null', where);
    }
  }
  const positive = strings.size + numbers.size + others.length > 0 || flags.matchTrue || flags.matchFalse || flags.matchNull || flags.existsTrue;
  return { strings, numbers, others, ...flags, absenceOnly: flags.existsFalse && !positive };
}

/** A `{ "operator": operand }` object: the operand is checked before the number of keys, as Ruler's parser reads it. */
function compileExpression(expression: Record<string, unknown>, where: readonly string[]): ValueMatcher | boolean {
  const [name, ...rest] = Object.keys(expression);
  if (name === undefined) invalid('Match expression name not found', where);
  const operand = expression[name];
  const compiled = compileOperator(name, operand, where);
  if (rest.length > 0) invalid('Only one key allowed in match expression', where);
  return compiled;
}

function compileOperator(name: string, operand: unknown, where: readonly string[]): ValueMatcher | boolean {
  switch (name) {
    case 'exists':
      if (typeof operand !== 'boolean') invalid('exists match pattern must be either true or false.', where);
      return operand;
    case 'prefix':
    case 'suffix':
      return compileAffix(name, operand, where);
    case 'equals-ignore-case': {
      if (typeof operand !== 'string') invalid('equals-ignore-case match pattern must be a string', where);
      const lower = operand.toLowerCase();
      return (v) => typeof v === 'string' && v.toLowerCase() === lower;
    }
    case 'wildcard': {
      if (typeof operand !== 'string') invalid('wildcard match pattern must be a string', where);
      const segments = parseWildcard(operand, where);
      return (v) => typeof v === 'string' && wildcardMatches(segments, v);
    }
    case 'numeric':
      return compileNumeric(operand, where);
    case 'cidr':
      return compileCidr(operand, where);
    case 'anything-but':
      return compileAnythingBut(operand, where);
    default:
      return invalid(`Unrecognized match type ${name}`, where);
  }
}

// ---------------------------------------------------------------------------------------------
// prefix / suffix, with their { "equals-ignore-case": ... } forms

type Affix = 'prefix' | 'suffix';

function affixMatcher(affix: Affix, text: string, ignoreCase: boolean): ValueMatcher {
  if (ignoreCase) {
    const lower = text.toLowerCase();
    return affix === 'prefix'
      ? (v) => typeof v === 'string' && v.toLowerCase().startsWith(lower)
      : (v) => typeof v === 'string' && v.toLowerCase().endsWith(lower);
  }
  // Only strings: a prefix is matched against the quoted JSON text, which no number, boolean or null has.
  return affix === 'prefix' ? (v) => typeof v === 'string' && v.startsWith(text) : (v) => typeof v === 'string' && v.endsWith(text);
}

function compileAffix(affix: Affix, operand: unknown, where: readonly string[]): ValueMatcher {
  if (isPlainObject(operand)) {
    const [inner, ...rest] = Object.keys(operand);
    if (inner === undefined) invalid(`${affix === 'prefix' ? 'Prefix' : 'Suffix'} expression name not found`, where);
    if (inner !== 'equals-ignore-case') invalid(`Unsupported ${affix} pattern: ${inner}`, where);
    const text = operand[inner];
    if (typeof text !== 'string') invalid('equals-ignore-case match pattern must be a string', where);
    if (rest.length > 0) invalid('Only one key allowed in match expression', where);
    return affixMatcher(affix, text, true);
  }
  if (typeof operand !== 'string') invalid(`${affix} match pattern must be a string`, where);
  return affixMatcher(affix, operand, false);
}

// ---------------------------------------------------------------------------------------------
// wildcard: `*` is any run of characters (also none), `\*` a literal star, `\\` a literal backslash

/** Ruler reports wildcard faults as a UTF-8 byte offset into the quoted operand, so the first character is at 1. */
function wildcardPosition(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8') + 1;
}

/** The literal pieces between the wildcards: "a*b\\*c" gives ["a", "b*c"]. */
function parseWildcard(text: string, where: readonly string[]): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '*') {
      if (text.charAt(i + 1) === '*') invalid(`Consecutive wildcard characters at pos ${wildcardPosition(text, i)}`, where);
      segments.push(current);
      current = '';
    } else if (char === '\\') {
      const next = text.charAt(i + 1);
      // A trailing backslash would escape the closing quote Ruler adds, so it is invalid too.
      if (next !== '*' && next !== '\\') invalid(`Invalid escape character at pos ${wildcardPosition(text, i)}`, where);
      current += next;
      i++;
    } else {
      current += char;
    }
  }
  segments.push(current);
  return segments;
}

/**
 * Glob matching without backtracking: the first piece must start the value, the last must end it,
 * and the ones between are found left to right (taking the earliest place is never worse), so a
 * pattern like `*a*a*a*b` costs at most one scan per piece instead of exponential time.
 */
function wildcardMatches(segments: readonly string[], value: string): boolean {
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? '';
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  const end = value.length - last.length;
  let position = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const piece = segments[i] ?? '';
    const found = value.indexOf(piece, position);
    if (found < 0 || found + piece.length > end) return false;
    position = found + piece.length;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// numeric: [op, n] or [">"|">=", low, "<"|"<=", high]; only JSON numbers match

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

/** How Ruler names a token it did not expect: its JSON text, or the bracket that opens it. */
function tokenText(value: unknown): string {
  if (value === undefined) return ']';
  if (Array.isArray(value)) return '[';
  if (isPlainObject(value)) return '{';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function numericOperand(operator: string, value: unknown, where: readonly string[]): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`, where);
  if (Math.abs(value) > NUMERIC_LIMIT) invalid(NUMERIC_LIMIT_REASON, where);
  return value;
}

function compileNumeric(operand: unknown, where: readonly string[]): ValueMatcher {
  if (!Array.isArray(operand)) invalid('Value of numeric must be an array.', where);
  const items: readonly unknown[] = operand;
  const [first, low, second, high] = items;
  if (typeof first !== 'string') invalid(`Invalid member in numeric match: ${tokenText(first)}`, where);
  if (!NUMERIC_OPERATORS.has(first)) invalid(`Unrecognized numeric range operator: ${first}`, where);
  const bottom = numericOperand(first, low, where);
  if (items.length === 2) return numericRange(first, bottom);
  // Only a lower bound may be followed by an upper one; "=", "<" and "<=" end the expression.
  if (first !== '>' && first !== '>=') invalid('Too many elements in numeric expression', where);
  if (typeof second !== 'string') invalid(`Bad value in numeric range: ${tokenText(second)}`, where);
  if (second !== '<' && second !== '<=') invalid(`Bad numeric range operator: ${second}`, where);
  const top = numericOperand(second, high, where);
  if (items.length > 4) invalid('Too many terms in numeric range expression', where);
  if (!(bottom < top)) invalid('Bottom must be less than top', where);
  const above = numericRange(first, bottom);
  const below = numericRange(second, top);
  return (v) => above(v) && below(v);
}

function numericRange(operator: string, bound: number): ValueMatcher {
  const numeric = (v: unknown): v is number => typeof v === 'number' && Math.abs(v) <= NUMERIC_LIMIT;
  switch (operator) {
    case '=':
      return (v) => numeric(v) && v === bound;
    case '<':
      return (v) => numeric(v) && v < bound;
    case '<=':
      return (v) => numeric(v) && v <= bound;
    case '>':
      return (v) => numeric(v) && v > bound;
    default:
      return (v) => numeric(v) && v >= bound;
  }
}

// ---------------------------------------------------------------------------------------------
// IP addresses and cidr

interface Ip {
  readonly bytes: Uint8Array;
}

/** The shapes Ruler treats as an address at all; anything else is not an IP (no zone ids, no dotted IPv6 tails). */
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Octets are read as decimal even with leading zeros (Java's parser reads "010" as 10, not octal). */
function parseIpv4(text: string): Ip | undefined {
  const bytes = new Uint8Array(4);
  const parts = text.split('.');
  for (let i = 0; i < 4; i++) {
    const octet = Number(parts[i]);
    if (!(octet <= 255)) return undefined;
    bytes[i] = octet;
  }
  return { bytes };
}

function parseIpv6(text: string): Ip | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string | undefined): string[] => (half ? half.split(':') : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const groups = head.length + tail.length;
  if (![...head, ...tail].every((group) => HEX_GROUP.test(group))) return undefined;
  if (halves.length === 1 ? groups !== 8 : groups > 7) return undefined;
  const bytes = new Uint8Array(16);
  const write = (group: string, index: number): void => {
    const value = parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  };
  for (const [i, group] of head.entries()) write(group, i);
  for (const [i, group] of tail.entries()) write(group, 8 - tail.length + i);
  return { bytes };
}

/** An IPv4 or IPv6 address literal, or undefined. */
export function parseIp(text: string): Ip | undefined {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  return undefined;
}

function sameIp(ip: Ip, text: string): boolean {
  const other = parseIp(text);
  return other !== undefined && other.bytes.length === ip.bytes.length && other.bytes.every((byte, i) => byte === ip.bytes[i]);
}

/** True when the first `bits` bits of two same-family addresses agree. */
function inNetwork(network: Ip, bits: number, address: Ip): boolean {
  if (address.bytes.length !== network.bytes.length) return false;
  for (let i = 0; i * 8 < bits; i++) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((address.bytes[i] ?? 0) & mask) !== ((network.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

function compileCidr(operand: unknown, where: readonly string[]): ValueMatcher {
  // (Ruler says "prefix match pattern must be a string" here, which names the wrong operator.)
  if (typeof operand !== 'string') invalid('cidr match pattern must be a string', where);
  const parts = operand.split('/');
  const [address = '', mask = ''] = parts;
  if (parts.length !== 2 || address === '' || mask === '') invalid("Malformed CIDR, one '/' required", where);
  if (!/^[+-]?[0-9]+$/.test(mask)) invalid('Malformed CIDR, mask bits must be an integer', where);
  const bits = Number(mask);
  if (bits < 0) invalid('Malformed CIDR, mask bits must not be negative', where);
  if (!IPV4_SHAPE.test(address) && !IPV6_SHAPE.test(address)) invalid(`Nonstandard IP address: ${address}`, where);
  const network = parseIp(address);
  if (!network) return invalid(`Invalid IP address: ${address}`, where);
  // Ruler keeps the range's two ends distinct, so a single-address block (/32, /128) is refused.
  if (network.bytes.length === 4 && bits > 31) invalid('IPv4 mask bits must be < 32', where);
  if (network.bytes.length === 16 && bits > 127) invalid('IPv6 mask bits must be < 128', where);
  // Host bits in the operand are ignored: 10.0.0.5/24 is the block 10.0.0.0/24.
  return (v) => {
    if (typeof v !== 'string') return false;
    const ip = parseIp(v);
    return ip !== undefined && inNetwork(network, bits, ip);
  };
}

// ---------------------------------------------------------------------------------------------
// anything-but: a value, a list of strings or of numbers, or one of prefix / suffix /
// equals-ignore-case / wildcard with a string or a list of strings.

const ANYTHING_BUT_VALUE = 'Value of anything-but must be an array or single string/number value.';
const ANYTHING_BUT_NESTED = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard']);

/**
 * Anything-but matches every leaf value that the excluded values do not, whatever its type: a
 * number passes `{ "anything-but": "x" }` and a string passes `{ "anything-but": [1, 2] }`. A
 * missing field has no value, so it never matches.
 */
function compileAnythingBut(operand: unknown, where: readonly string[]): ValueMatcher {
  if (isPlainObject(operand)) {
    const excluded = compileAnythingButNested(operand, where);
    return (v) => !excluded(v);
  }
  if (Array.isArray(operand)) return compileAnythingButList(operand, where);
  if (typeof operand === 'string') return (v) => v !== operand;
  if (typeof operand === 'number' && Number.isFinite(operand)) {
    if (Math.abs(operand) > NUMERIC_LIMIT) invalid(NUMERIC_LIMIT_REASON, where);
    return (v) => v !== operand;
  }
  return invalid(ANYTHING_BUT_VALUE, where);
}

function compileAnythingButList(list: readonly unknown[], where: readonly string[]): ValueMatcher {
  for (const item of list) {
    const scalar = typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item));
    if (!scalar) invalid('Inside anything but list, start|null|boolean is not supported.', where);
    if (typeof item === 'number' && Math.abs(item) > NUMERIC_LIMIT) invalid(NUMERIC_LIMIT_REASON, where);
  }
  const strings = list.filter((item) => typeof item === 'string').length;
  if (list.length === 0 || (strings > 0 && strings < list.length)) {
    invalid('Inside anything but list, either all values are number or string, mixed type is not supported', where);
  }
  const excluded = new Set<unknown>(list);
  return (v) => !excluded.has(v);
}

/** The excluded operands of a nested anything-but, all strings. */
function nestedOperands(operator: string, operand: unknown, where: readonly string[]): string[] {
  const isList = Array.isArray(operand);
  const candidates: readonly unknown[] = isList ? operand : [operand];
  if (candidates.length === 0) invalid('Empty arrays are not allowed', where);
  for (const candidate of candidates) {
    if (typeof candidate === 'string') continue;
    // A lone operand that is not a string or number fails Ruler's outer check; inside a list, the operator's own.
    if (!isList && typeof candidate !== 'number') invalid(ANYTHING_BUT_VALUE, where);
    if (operator === 'equals-ignore-case') invalid('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.', where);
    invalid(operator === 'wildcard' ? 'wildcard match pattern must be a string' : 'prefix/suffix match pattern must be a string', where);
  }
  const texts = candidates as readonly string[];
  // An empty prefix or suffix is every string, so excluding it would exclude them all.
  if ((operator === 'prefix' || operator === 'suffix') && texts.includes('')) invalid('Null prefix/suffix not allowed', where);
  return [...texts];
}

/** A matcher for the values the nested form excludes. */
function compileAnythingButNested(operand: Record<string, unknown>, where: readonly string[]): ValueMatcher {
  const [operator, ...rest] = Object.keys(operand);
  if (operator === undefined) invalid('Anything-But expression name not found', where);
  if (!ANYTHING_BUT_NESTED.has(operator)) invalid(`Unsupported anything-but pattern: ${operator}`, where);
  const texts = nestedOperands(operator, operand[operator], where);
  if (rest.length > 0) invalid('Only one key allowed in match expression', where);
  let matchers: ValueMatcher[];
  if (operator === 'wildcard') {
    matchers = texts.map((text) => {
      const segments = parseWildcard(text, where);
      return (v) => typeof v === 'string' && wildcardMatches(segments, v);
    });
  } else if (operator === 'equals-ignore-case') {
    const lowered = new Set(texts.map((text) => text.toLowerCase()));
    matchers = [(v) => typeof v === 'string' && lowered.has(v.toLowerCase())];
  } else {
    matchers = texts.map((text) => affixMatcher(operator === 'prefix' ? 'prefix' : 'suffix', text, false));
  }
  return (v) => matchers.some((matcher) => matcher(v));
}
