/**
 * Amazon EventBridge event patterns for the local emulator: `compilePattern` checks a pattern the
 * way EventBridge does and compiles it once; `matchesPattern` then answers for each event.
 *
 * The semantics follow AWS's documentation and its engine, Event Ruler:
 * - every field named in the pattern must match (AND); a field's value list matches if any entry
 *   matches (OR); fields the pattern does not name are ignored;
 * - when the event value is an array, the field matches if any element does, and two fields of a
 *   nested pattern must be found in the same element of an array of objects;
 * - operators see leaf values only: an object-valued field has no value, so `exists: true` fails
 *   on it and `exists: false` passes, as does a missing field or an empty array (null is a value);
 * - `$or` is expanded when compiling into alternatives, like Ruler does: a field written both
 *   inside and outside the `$or` keeps the last one written, in document order.
 */
import { compileLeaf, invalid, isPlainObject, type LeafTest } from '#local/eventbridge/event-pattern-validate.ts';

export { InvalidEventPatternError } from '#local/eventbridge/event-pattern-validate.ts';

/** One object level of a pattern alternative: the fields it constrains. */
interface PatternNode {
  readonly fields: PatternField[];
  /** Every leaf below is `exists: false` alone, so the node must hold in every element of an array, not just one. */
  absenceOnly: boolean;
}

/** A field may carry both a value list and nested fields when `$or` writes them separately. */
interface PatternField {
  readonly key: string;
  leaf: LeafTest | undefined;
  child: PatternNode | undefined;
}

const ALTERNATIVES = Symbol('alternatives');

/** A validated pattern, ready to match events. */
export interface CompiledPattern {
  readonly [ALTERNATIVES]: readonly PatternNode[];
}

/** Where the compiler is: the field path it matches on, and the path shown in errors (with `$or[i]` steps). */
interface Where {
  readonly keys: readonly string[];
  readonly label: readonly string[];
}

/** A pattern without `$or`: its value lists by field path, in the order they were written. */
type Alternative = Map<string, { readonly keys: readonly string[]; readonly leaf: LeafTest }>;

/** Ruler refuses these as field names inside `$or`, as they would read as operators. */
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

/** EventBridge caps the alternatives an `$or` may expand to. */
const MAX_COMBINATIONS = 1000;

/** Parses (string JSON or object) and validates a pattern; throws InvalidEventPatternError. Compile once, match many times: keep matching fast (no re-validation per event). */
export function compilePattern(pattern: unknown): CompiledPattern {
  const root = typeof pattern === 'string' ? parseJson(pattern) : pattern;
  if (!isPlainObject(root)) invalid('Filter is not an object');
  const alternatives = expandObject(root, { keys: [], label: [] }, [new Map()], false);
  return { [ALTERNATIVES]: alternatives.map(buildTree) };
}

/** True when the event (the full EventBridge event object: version, id, detail-type, source, account, time, region, resources, detail) matches. */
export function matchesPattern(pattern: CompiledPattern, event: unknown): boolean {
  if (!isObject(event)) return false;
  return pattern[ALTERNATIVES].some((alternative) => matchNode(alternative, event));
}

// ---------------------------------------------------------------------------------------------
// Compiling: validate, expand $or, build one tree per alternative

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return invalid(`Filter is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function descend(where: Where, key: string): Where {
  return { keys: [...where.keys, key], label: [...where.label, key] };
}

/** Walks one pattern object in document order, writing each value list into every alternative so far. */
function expandObject(object: Record<string, unknown>, where: Where, alternatives: Alternative[], insideOr: boolean): Alternative[] {
  const keys = Object.keys(object);
  if (keys.length === 0) invalid('Empty objects are not allowed', where.label);
  let current = alternatives;
  for (const key of keys) {
    const value = object[key];
    if (key === '$or') {
      current = expandOr(value, where, current);
      continue;
    }
    const at = descend(where, key);
    if (insideOr && RESERVED_IN_OR.has(key)) invalid(`"${key}" is a reserved word which cannot be used as a field name inside $or`, at.label);
    if (isPlainObject(value)) {
      current = expandObject(value, at, current, insideOr);
    } else if (Array.isArray(value)) {
      const leaf = compileLeaf(value, at.label);
      const path = at.keys.join('\u0000');
      // A later write to the same path replaces the earlier one, as in Ruler.
      for (const alternative of current) alternative.set(path, { keys: at.keys, leaf });
    } else {
      invalid(`"${key}" must be an object or an array`, at.label);
    }
  }
  return current;
}

/** Each member of `$or` continues its own copy of the alternatives built so far. */
function expandOr(members: unknown, where: Where, alternatives: Alternative[]): Alternative[] {
  if (!Array.isArray(members) || members.length < 2) invalid('$or must be an array of at least 2 objects', [...where.label, '$or']);
  const expanded: Alternative[] = [];
  members.forEach((member: unknown, index) => {
    const at: Where = { keys: where.keys, label: [...where.label, `$or[${index}]`] };
    if (!isPlainObject(member)) invalid('Only JSON objects are allowed in an $or array', at.label);
    const forked = alternatives.map((alternative) => new Map(alternative));
    expanded.push(...expandObject(member, at, forked, true));
    if (expanded.length > MAX_COMBINATIONS) invalid(`$or expands to more than ${MAX_COMBINATIONS} rule combinations`, at.label);
  });
  return expanded;
}

function buildTree(alternative: Alternative): PatternNode {
  const root: PatternNode = { fields: [], absenceOnly: false };
  for (const { keys, leaf } of alternative.values()) {
    let node = root;
    keys.forEach((key, index) => {
      const field = fieldOf(node, key);
      if (index === keys.length - 1) field.leaf = leaf;
      else node = field.child ??= { fields: [], absenceOnly: false };
    });
  }
  markAbsenceOnly(root);
  return root;
}

function fieldOf(node: PatternNode, key: string): PatternField {
  let field = node.fields.find((candidate) => candidate.key === key);
  if (!field) {
    field = { key, leaf: undefined, child: undefined };
    node.fields.push(field);
  }
  return field;
}

function markAbsenceOnly(node: PatternNode): boolean {
  let absenceOnly = true;
  for (const { leaf, child } of node.fields) {
    if (leaf && !leaf.absenceOnly) absenceOnly = false;
    if (child && !markAbsenceOnly(child)) absenceOnly = false;
  }
  node.absenceOnly = absenceOnly;
  return absenceOnly;
}

// ---------------------------------------------------------------------------------------------
// Matching

type EventObject = Record<string, unknown>;

const EMPTY: EventObject = Object.freeze({});

function isObject(value: unknown): value is EventObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchNode(node: PatternNode, object: EventObject): boolean {
  for (const { key, leaf, child } of node.fields) {
    // Own properties only, so a pattern field named "constructor" does not find Object's.
    const value = Object.hasOwn(object, key) ? object[key] : undefined;
    if (leaf && !leafPasses(leaf, value)) return false;
    if (child && !childPasses(child, value)) return false;
  }
  return true;
}

/** What a scan of a value found: nothing to try (no leaf, or no object), things that do not match, or a match. */
type Found = 'nothing' | 'missed' | 'matched';

function leafPasses(leaf: LeafTest, value: unknown): boolean {
  const found = value === undefined ? 'nothing' : scanLeaves(leaf, value);
  if (found === 'nothing') return leaf.existsFalse;
  return found === 'matched' || leaf.existsTrue;
}

/** Leaves are the scalars of a value, through nested arrays; objects are not leaves. */
function scanLeaves(leaf: LeafTest, value: unknown): Found {
  if (Array.isArray(value)) {
    let found: Found = 'nothing';
    for (const element of value) {
      const result = scanLeaves(leaf, element);
      if (result === 'matched') return result;
      if (result === 'missed') found = result;
    }
    return found;
  }
  if (isObject(value)) return 'nothing';
  return matchesScalar(leaf, value) ? 'matched' : 'missed';
}

function matchesScalar(leaf: LeafTest, value: unknown): boolean {
  switch (typeof value) {
    case 'string':
      if (leaf.strings.has(value)) return true;
      break;
    case 'number':
      if (leaf.numbers.has(value)) return true;
      break;
    case 'boolean':
      if (value ? leaf.matchTrue : leaf.matchFalse) return true;
      break;
    default:
      if (value === null && leaf.matchNull) return true;
  }
  for (const matcher of leaf.others) if (matcher(value)) return true;
  return false;
}

/**
 * A nested pattern is tried on each object the value holds (through arrays), so its fields are
 * all found in the same element. With no object to try, it is tried on an empty one, where only
 * `exists: false` can hold. A pattern of absences alone must hold in every element: the field is
 * absent only if no element has it.
 */
function childPasses(node: PatternNode, value: unknown): boolean {
  if (node.absenceOnly) return everyObject(node, value);
  const found = findObject(node, value);
  return found === 'matched' || (found === 'nothing' && matchNode(node, EMPTY));
}

function findObject(node: PatternNode, value: unknown): Found {
  if (Array.isArray(value)) {
    let found: Found = 'nothing';
    for (const element of value) {
      const result = findObject(node, element);
      if (result === 'matched') return result;
      if (result === 'missed') found = result;
    }
    return found;
  }
  if (!isObject(value)) return 'nothing';
  return matchNode(node, value) ? 'matched' : 'missed';
}

function everyObject(node: PatternNode, value: unknown): boolean {
  if (Array.isArray(value)) return value.every((element) => everyObject(node, element));
  return !isObject(value) || matchNode(node, value);
}
