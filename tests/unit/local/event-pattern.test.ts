import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError, compilePattern, matchesPattern } from '#local/eventbridge/event-pattern.ts';

// Patterns and events are taken from AWS's EventBridge user guide (event patterns, content
// filtering, comparison operators, arrays, null values) and from the README of Event Ruler, the
// engine behind it; the rest are edge cases a plausible bug would break.

type Case = [description: string, pattern: unknown, event: unknown, expected: boolean];

/** An EventBridge event with the envelope filled in, as a target would receive it. */
function event(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
    ...fields,
  };
}

/** The same event with only its detail changed. */
function withDetail(detail: Record<string, unknown>): Record<string, unknown> {
  return event({ detail });
}

/** The sample event of Event Ruler's README. */
const rulerEvent = event({
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', 'instance-id': 'i-000000aaaaaa00000', state: 'running' },
});

function matches(pattern: unknown, candidate: unknown): boolean {
  return matchesPattern(compilePattern(pattern), candidate);
}

function reasonOf(pattern: unknown): string {
  try {
    compilePattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error.message;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(pattern)} to be refused`);
}

const ec2Pattern = {
  source: ['aws.ec2'],
  'detail-type': ['EC2 Instance State-change Notification'],
  detail: { state: ['terminated'] },
};

const employees = {
  employees: [
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'Anna', lastName: 'Smith' },
    { firstName: 'Peter', lastName: 'Jones' },
  ],
};

describe('exact values', () => {
  it.each<Case>([
    ['the EC2 example matches its event', ec2Pattern, event(), true],
    ['a different state does not match', ec2Pattern, withDetail({ state: 'running' }), false],
    ['a different source does not match', ec2Pattern, event({ source: 'aws.s3' }), false],
    ['a value list is an OR', { detail: { state: ['pending', 'terminated'] } }, event(), true],
    ['fields the pattern does not name are ignored', { source: ['aws.ec2'] }, event(), true],
    ['a field the event lacks does not match', { detail: { missing: ['x'] } }, event(), false],
    ['matching is case sensitive', { detail: { state: ['Terminated'] } }, event(), false],
    ['all fields must match (AND)', { source: ['aws.ec2'], region: ['eu-west-1'] }, event(), false],
    [
      'an event array matches when it shares a value with the pattern (docs)',
      {
        resources: [
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
          'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
          'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
        ],
      },
      event({
        resources: [
          'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        ],
      }),
      true,
    ],
    ['an event array with no common value does not match', { resources: ['arn:a', 'arn:b'] }, event({ resources: ['arn:c'] }), false],
    ['an empty event array has no value to match', { resources: ['arn:a'] }, event({ resources: [] }), false],
    ['arrays nested in arrays are searched too', { detail: { tags: ['b'] } }, withDetail({ tags: [['a'], ['b']] }), true],
    ['an empty string matches an empty string (docs)', { detail: { eventVersion: [''] } }, withDetail({ eventVersion: '', responseElements: null }), true],
    ['null matches null (docs)', { detail: { responseElements: [null] } }, withDetail({ eventVersion: '', responseElements: null }), true],
    ['an empty string does not match null', { detail: { responseElements: [''] } }, withDetail({ responseElements: null }), false],
    ['null does not match an empty string', { detail: { eventVersion: [null] } }, withDetail({ eventVersion: '' }), false],
    ['null does not match a missing field', { detail: { responseElements: [null] } }, withDetail({}), false],
    ['a number matches the same number', { detail: { 'c-count': [5] } }, rulerEvent, true],
    ['numbers compare by value (3.018e2 is 301.8)', { detail: { 'x-limit': [3.018e2] } }, rulerEvent, true],
    ['the number 5 does not match the string "5"', { detail: { 'c-count': [5] } }, withDetail({ 'c-count': '5' }), false],
    ['the string "5" does not match the number 5', { detail: { 'c-count': ['5'] } }, rulerEvent, false],
    ['true matches true', { detail: { enabled: [true] } }, withDetail({ enabled: true }), true],
    ['true does not match the string "true"', { detail: { enabled: [true] } }, withDetail({ enabled: 'true' }), false],
    ['true does not match 1', { detail: { enabled: [true] } }, withDetail({ enabled: 1 }), false],
    ['false matches false', { detail: { enabled: [false] } }, withDetail({ enabled: false }), true],
    ['0 does not match false', { detail: { enabled: [0] } }, withDetail({ enabled: false }), false],
    ['a nested pattern matches a nested object', { detail: { state: { code: [16] } } }, withDetail({ state: { code: 16, name: 'running' } }), true],
    ['a nested pattern does not match a scalar', { detail: { state: { code: [16] } } }, withDetail({ state: 'running' }), false],
    ['a value list does not match an object', { detail: { state: ['running'] } }, withDetail({ state: { name: 'running' } }), false],
    ['a nested pattern matches an element of an array of objects', { employees: { firstName: ['Anna'] } }, employees, true],
    ['two fields must come from the same array element', { employees: { firstName: ['Anna'], lastName: ['Jones'] } }, employees, false],
    ['two fields of one array element match', { employees: { firstName: ['Anna'], lastName: ['Smith'] } }, employees, true],
    [
      'multi-level arrays of objects are searched too',
      { employees: { firstName: ['Peter'] } },
      { employees: [[{ firstName: 'John' }, { firstName: 'Anna' }], [{ firstName: 'Peter' }]] },
      true,
    ],
    ['a value that is an IP address matches the same address written differently', { detail: { ip: ['::1'] } }, withDetail({ ip: '0:0:0:0:0:0:0:1' }), true],
    ['an IPv4 value matches itself', { detail: { ip: ['10.0.0.1'] } }, withDetail({ ip: '10.0.0.1' }), true],
    ['an IPv4 value does not match another address', { detail: { ip: ['10.0.0.1'] } }, withDetail({ ip: '10.0.0.2' }), false],
    ['only own fields of the event count', { constructor: [{ exists: true }] }, event(), false],
    ['an undefined property counts as missing', { detail: { x: [{ exists: false }] } }, withDetail({ x: undefined }), true],
    ['an event that is not an object never matches', { source: ['aws.ec2'] }, 'aws.ec2', false],
  ])('%s', (_, pattern, candidate, expected) => {
    expect(matches(pattern, candidate)).toBe(expected);
  });
});

describe('prefix', () => {
  it.each<Case>([
    ['matches the start of a string (docs)', { time: [{ prefix: '2017-10-02' }] }, event({ time: '2017-10-02T18:43:48Z' }), true],
    ['does not match another start', { time: [{ prefix: '2017-10-02' }] }, event({ time: '2017-10-03T18:43:48Z' }), false],
    ['European regions (docs)', { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] }, event({ source: 'aws.autoscaling', region: 'eu-west-1' }), true],
    ['not a US region (docs)', { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] }, event({ source: 'aws.autoscaling', region: 'us-east-1' }), false],
    ['is case sensitive', { detail: { service: [{ prefix: 'EventB' }] } }, withDetail({ service: 'eventbridge' }), false],
    ['never matches a number', { detail: { 'c-count': [{ prefix: '5' }] } }, rulerEvent, false],
    ['a prefix longer than the value does not match', { detail: { state: [{ prefix: 'terminated-now' }] } }, event(), false],
    ['an empty prefix matches any string', { detail: { state: [{ prefix: '' }] } }, event(), true],
    ['an empty prefix does not match null', { detail: { state: [{ prefix: '' }] } }, withDetail({ state: null }), false],
    ['matches an element of an event array', { detail: { regions: [{ prefix: 'eu-' }] } }, withDetail({ regions: ['us-east-1', 'eu-west-1'] }), true],
    [
      'equals-ignore-case form matches any casing (docs)',
      { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
      withDetail({ service: 'EVENTBRIDGE' }),
      true,
    ],
    [
      'equals-ignore-case form matches lower case',
      { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
      withDetail({ service: 'eventbridge' }),
      true,
    ],
    [
      'equals-ignore-case form still needs the prefix',
      { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
      withDetail({ service: 'Lambda' }),
      false,
    ],
  ])('%s', (_, pattern, candidate, expected) => {
    expect(matches(pattern, candidate)).toBe(expected);
  });
});

describe('suffix', () => {
  it.each<Case>([
    ['matches the end of a string (docs)', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, true],
    ['does not match another ending', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.jpg' }, false],
    ['is case sensitive', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' }, false],
    ['matches the source (Ruler README)', { source: [{ suffix: 'ec2' }] }, event(), true],
    ['never matches a number', { detail: { 'c-count': [{ suffix: '5' }] } }, rulerEvent, false],
    [
      'equals-ignore-case form matches any casing (docs)',
      { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
      withDetail({ FileName: 'image.PNG' }),
      true,
    ],
    [
      'equals-ignore-case form matches mixed case',
      { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
      withDetail({ FileName: 'image.pNg' }),
      true,
    ],
    [
      'equals-ignore-case form still needs the suffix',
      { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
      withDetail({ FileName: 'imagepng' }),
      false,
    ],
  ])('%s', (_, pattern, candidate, expected) => {
    expect(matches(pattern, candidate)).toBe(expected);
  });
});

describe('equals-ignore-case', () => {
  it.each<Case>([
    ['matches another casing (docs)', { detail: { Name: [{ 'equals-ignore-case': 'alice' }] } }, withDetail({ Name: 'Alice' }), true],
    ['matches upper case', { detail: { Name: [{ 'equals-ignore-case': 'alice' }] } }, withDetail({ Name: 'ALICE' }), true],
    ['is not a prefix match', { detail: { Name: [{ 'equals-ignore-case': 'alice' }] } }, withDetail({ Name: 'Alicia' }), false],
    ['the whole value must match', { source: [{ 'equals-ignore-case': 'EC2' }] }, event(), false],
    ['matches the whole value in another casing (Ruler README)', { source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, event(), true],
    ['never matches a number', { detail: { 'c-count': [{ 'equals-ignore-case': '5' }] } }, rulerEvent, false],
    ['matches an element of an event array', { detail: { names: [{ 'equals-ignore-case': 'bob' }] } }, withDetail({ names: ['Alice', 'BOB'] }), true],
  ])('%s', (_, pattern, candidate, expected) => {
    expect(matches(pattern, candidate)).toBe(expected);
  });
});

describe('anything-but', () => {
  const state = (value: unknown): Record<string, unknown> => ({ detail: { state: [{ 'anything-but': value }] } });
  const limit = (value: unknown): Record<string, unknown> => ({ detail: { 'x-limit': [{ 'anything-but': value }] } });
  it.each<Case>([
    ['a string: another value matches (docs)', state('initializing'), withDetail({ state: 'running' }), true],
    ['a string: that value does not match (docs)', state('initializing'), withDetail({ state: 'initializing' }), false],
    ['a number: another value matches (docs)', limit(123), rulerEvent, true],
    ['a number: that value does not match', limit(123), withDetail({ 'x-limit': 123 }), false],
    ['a list of strings: another value matches (docs)', state(['stopped', 'overloaded']), withDetail({ state: 'running' }), true],
    ['a list of strings: a listed value does not match', state(['stopped', 'overloaded']), withDetail({ state: 'overloaded' }), false],
    ['a list of numbers: another value matches (docs)', limit([100, 200, 300]), rulerEvent, true],
    ['a list of numbers: a listed value does not match', limit([100, 200, 300]), withDetail({ 'x-limit': 200 }), false],
    ['prefix: another start matches (docs)', state({ prefix: 'init' }), withDetail({ state: 'running' }), true],
    ['prefix: that start does not match (docs)', state({ prefix: 'init' }), withDetail({ state: 'initializing' }), false],
    ['prefix: events not from AWS (docs)', { source: [{ 'anything-but': { prefix: 'aws.' } }] }, event({ source: 'com.example.shop' }), true],
    ['prefix: events from AWS are excluded (docs)', { source: [{ 'anything-but': { prefix: 'aws.' } }] }, event(), false],
    ['prefix list: excludes each prefix', state({ prefix: ['init', 'stop'] }), withDetail({ state: 'stopping' }), false],
    ['suffix: another ending matches (docs)', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'image.jpg' }, true],
    ['suffix: that ending does not match (docs)', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'image.png' }, false],
    ['suffix list: excludes each ending', { FileName: [{ 'anything-but': { suffix: ['.png', '.jpg'] } }] }, { FileName: 'a.jpg' }, false],
    ['suffix list: another ending matches', { FileName: [{ 'anything-but': { suffix: ['.png', '.jpg'] } }] }, { FileName: 'a.gif' }, true],
    ['equals-ignore-case: any casing is excluded (docs)', state({ 'equals-ignore-case': 'initializing' }), withDetail({ state: 'INITIALIZING' }), false],
    ['equals-ignore-case: another value matches', state({ 'equals-ignore-case': 'initializing' }), withDetail({ state: 'running' }), true],
    [
      'equals-ignore-case list: excludes each value (docs)',
      state({ 'equals-ignore-case': ['Stopped', 'OverLoaded'] }),
      withDetail({ state: 'stopped' }),
      false,
    ],
    ['equals-ignore-case list: another value matches', state({ 'equals-ignore-case': ['Stopped', 'OverLoaded'] }), withDetail({ state: 'running' }), true],
    ['wildcard: a path under lib is excluded (docs)', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/lib/libc.so' }, false],
    ['wildcard: another path matches (docs)', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/bin/bash' }, true],
    ['wildcard list: excludes each pattern', { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] }, { FilePath: '/usr/bin/bash' }, false],
    ['wildcard list: another path matches', { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] }, { FilePath: '/opt/app' }, true],
    ['a missing field does not match', state('initializing'), withDetail({}), false],
    ['an event array matches when one element is not excluded', state('initializing'), withDetail({ state: ['initializing', 'running'] }), true],
    ['an event array of excluded values does not match', state('initializing'), withDetail({ state: ['initializing'] }), false],
    ['an empty event array does not match', state('initializing'), withDetail({ state: [] }), false],
    ['an object value does not match', state('initializing'), withDetail({ state: { name: 'running' } }), false],
    ['excluding the string "5" lets the number 5 through', { detail: { 'c-count': [{ 'anything-but': '5' }] } }, rulerEvent, true],
    ['excluding numbers lets the string "100" through', limit([100, 200]), withDetail({ 'x-limit': '100' }), true],
    ['null is not the excluded string', state('initializing'), withDetail({ state: null }), true],
    ['a number is not excluded by a prefix', { detail: { 'c-count': [{ 'anything-but': { prefix: '5' } }] } }, rulerEvent, true],
  ])('%s', (_, pattern, candidate, expected) => {
    expect(matches(pattern, candidate)).toBe(expected);
  });
});

describe('numeric', () => {
  const docsPattern = {
    detail: {
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ numeric: ['=', 3.018e2] }],
    },
  };
  const count = (range: unknown[]): Record<string, unknown> => ({ detail: { 'c-count': [{ numeric: range }] } });
  it.each<Case>([
    ['the docs example matches when every field is in range', docsPattern, rulerEvent, true],
    ['the upper bound of (0, 5] is included', count(['>', 0, '<=', 5]), withDetail({ 'c-count': 5 }), true],
    ['the lower bound of (0, 5] is excluded', count(['>', 0, '<=', 5]), withDetail({ 'c-count': 0 }), false],
    ['above (0, 5] does not match', count(['>', 0, '<=', 5]), withDetail({ 'c-count': 6 }), false],
    ['fractions fall inside a range', count(['>', 0, '<=', 5]), withDetail({ 'c-count': 0.5 }), true],
    ['"<" excludes its bound', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, withDetail({ 'd-count': 10 }), false],
    ['">=" includes its bound', count(['>=', 10]), withDetail({ 'c-count': 10 }), true],
    ['"<=" includes its bound', count(['<=', 10]), withDetail({ 'c-count': 10 }), true],
    ['[">=", a, "<", b] excludes b', count(['>=', 1, '<', 2]), withDetail({ 'c-count': 2 }), false],
    ['"=" compares by value', count(['=', 301.8]), withDetail({ 'c-count': 3.018e2 }), true],
    ['"=" does not match a near value', count(['=', 301.8]), withDetail({ 'c-count': 301.81 }), false],
    ['negative ranges work', count(['>=', -10, '<', -5]), withDetail({ 'c-count': -7.5 }), true],
    ['a numeric string does not match', count(['>', 0]), withDetail({ 'c-count': '5' }), false],
    ['a boolean does not match', count(['>', 0]), withDetail({ 'c-count': true }), false],
    ['a missing field does not match', count(['>', 0]), withDetail({}), false],
    ['an event array matches when one element is in range', count(['>', 10]), withDetail({ 'c-count': [1, 20] }), true],
    ['an event array with no element in range does not match', count(['>', 10]), withDetail({ 'c-count': [1, 2] }), false],
    ['values beyond the documented 5e9 limit never match', count(['>', 0]), withDetail({ 'c-count': 6e9 }), false],
    ['the 5e9 limit itself is inside', count(['>=', 5e9]), withDetail({ 'c-count': 5e9 }), true],
  ])('%s', (_, pattern, candidate, expected) => {
    expect(matches(pattern, candidate)).toBe(expected);
  });
});

describe('exists', () => {
  const exists = (value: boolean): Record<string, unknown> => ({ detail: { 'c-count': [{ exists: value }] } });
  const items = (value: boolean): Record<string, unknown> => ({ detail: { items: { sku: [{ exists: value }] } } });
  it.each<Case>([
    ['true matches a present field (docs)', { detail: { state: [{ exists: true }] } }, withDetail({ 'instance-id': 'i-abcd1111', state: 'pending' }), true],
    ['true does not match a missing field (docs)', { detail: { state: [{ exists: true }] } }, withDetail({ 'c-count': { c1: 100 } }), false],
    ['false matches a missing field (docs)', exists(false), withDetail({ state: ['initializing', 'running'] }), true],
    ['false matches a field that is an object, which is not a leaf (docs)', exists(false), withDetail({ state: 'running', 'c-count': { c1: 100 } }), true],
    ['false does not match a present field', exists(false), rulerEvent, false],
    ['true does not match a field that is an object', exists(true), withDetail({ 'c-count': { c1: 100 } }), false],
    ['true matches a null field: null is a value', exists(true), withDetail({ 'c-count': null }), true],
    ['false does not match a null field', exists(false), withDetail({ 'c-count': null }), false],
    ['false matches when the parent object is missing', exists(false), event({ detail: undefined }), true],
    ['false matches when the parent is not an object', exists(false), event({ detail: 'text' }), true],
    ['true matches an array of values', exists(true), withDetail({ 'c-count': [1, 2] }), true],
    ['true does not match an empty array', exists(true), withDetail({ 'c-count': [] }), false],
    ['false matches an empty array', exists(false), withDetail({ 'c-count': [] }), true],
    ['true does not match an array of objects', { detail: { items: [{ exists: true }] } }, withDetail({ items: [{ sku: 'a' }] }), false],
    ['with a value alternative, absence matches', { detail: { 'c-count': [7, { exists: false }] } }, withDetail({}), true],
    ['with a value alternative, the value matches', { detail: { 'c-count': [7, { exists: false }] } }, withDetail({ 'c-count': 7 }), true],
    ['with a value alternative, another value does not match', { detail: { 'c-count': [7, { exists: false }] } }, withDetail({ 'c-count': 8 }), false],
    ['true in an array of objects: one element having it is enough', items(true), withDetail({ items: [{ qty: 2 }, { sku: 'a' }] }), true],
    ['false in an array of objects: no element may have it', items(false), withDetail({ items: [{ sku: 'a' }, { qty: 2 }] }), false],
    ['false in an array of objects: absent from every element', items(false), withDetail({ items: [{ qty: 1 }, { qty: 2 }] }), true],
    ['value-or-absent matches when the parent object is missing', { detail: { state: ['running', { exists: false }] } }, event({ detail: undefined }), true],
    [
      'false next to a value: judged in the same element',
      { detail: { items: { qty: [2], sku: [{ exists: false }] } } },
      withDetail({ items: [{ sku: 'a', qty: 1 }, { qty: 2 }] }),
      true,
    ],
  ])('%s', (_, pattern, candidate, expected) => {
    expect(matches(pattern, candidate)).toBe(expected);
  });
});

describe('cidr', () => {
  const ip = (block: string): Record<string, unknown> => ({ detail: { sourceIPAddress: [{ cidr: block }] } });
  const from = (address: unknown): Record<string, unknown> => withDetail({ sourceIPAddress: address });
  it.each<Case>([
    ['an address in 10.0.0.0/24 matches (docs)', ip('10.0.0.0/24'), from('10.0.0.33'), true],
    ['the last address of the block matches', ip('10.0.0.0/24'), from('10.0.0.255'), true],
    ['an address outside the block does not match', ip('10.0.0.0/24'), from('10.0.1.1'), false],
    ['the Ruler README /8 example matches', { detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } }, rulerEvent, true],
    ['host bits in the block are ignored', ip('10.0.0.5/24'), from('10.0.0.1'), true],
    ['/0 holds every IPv4 address', ip('0.0.0.0/0'), from('8.8.8.8'), true],
    ['/31 holds two addresses', ip('192.168.1.0/31'), from('192.168.1.1'), true],
    ['/31 holds only two addresses', ip('192.168.1.0/31'), from('192.168.1.2'), false],
    ['an IPv6 address in an IPv6 block matches', ip('2001:db8::/32'), from('2001:db8::1'), true],
    ['a full-form IPv6 address matches', ip('2001:db8::/32'), from('2001:0db8:85a3:0000:0000:8a2e:0370:7334'), true],
    ['an IPv6 address outside the block does not match', ip('2001:db8::/32'), from('2001:db9::1'), false],
    ['an IPv6 /64 matches within', ip('fe80::/64'), from('fe80::1:2:3:4'), true],
    ['an IPv6 /64 does not match the next subnet', ip('fe80::/64'), from('fe80:0:0:1::1'), false],
    ['an IPv4 address is not in an IPv6 block', ip('::/0'), from('10.0.0.1'), false],
    ['an IPv6 address is not in an IPv4 block', ip('0.0.0.0/0'), from('::1'), false],
    ['a string that is not an address does not match', ip('10.0.0.0/8'), from('example.com'), false],
    ['a number does not match', ip('0.0.0.0/0'), from(167772161), false],
    ['an element of an event array matches', ip('10.0.0.0/8'), from(['192.168.0.1', '10.1.2.3']), true],
  ])('%s', (_, pattern, candidate, expected) => {
    expect(matches(pattern, candidate)).toBe(expected);
  });
});

describe('wildcard', () => {
  const file = (pattern: string): Record<string, unknown> => ({ detail: { FileName: [{ wildcard: pattern }] } });
  const named = (name: unknown): Record<string, unknown> => withDetail({ FileName: name });
  const arnPattern = { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
  it.each<Case>([
    ['matches an event bus ARN in any account (docs)', arnPattern, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }, true],
    ['does not match another region (docs)', arnPattern, { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' }, false],
    ['a star in the middle (Ruler README)', { source: [{ wildcard: 'Simple*Service' }] }, event({ source: 'SimpleNotificationService' }), true],
    ['a star matches an empty run', { source: [{ wildcard: 'Simple*Service' }] }, event({ source: 'SimpleService' }), true],
    ['text after the last piece does not match', { source: [{ wildcard: 'Simple*Service' }] }, event({ source: 'SimpleServiceX' }), false],
    ['a leading star matches any start', file('*.png'), named('dir/a.png'), true],
    ['a leading star still needs the ending', file('*.png'), named('a.png.txt'), false],
    ['a star spans slashes', file('dir/*.png'), named('dir/sub/doc.png'), true],
    ['a lone star matches the empty string', file('*'), named(''), true],
    ['a lone star does not match a number', file('*'), named(5), false],
    ['a lone star does not match null', file('*'), named(null), false],
    ['several stars match in order', file('a*b*c'), named('aXbYc'), true],
    ['several stars keep the order of pieces', file('a*b*c'), named('acb'), false],
    ['start and end pieces may not overlap', file('ab*ba'), named('aba'), false],
    ['start and end pieces meet exactly', file('ab*ba'), named('abba'), true],
    ['a middle piece may not run into the last piece', file('a*bc*c'), named('abc'), false],
    ['a middle piece before the last piece', file('a*bc*c'), named('abcc'), true],
    ['an escaped star is a literal star', file('a\\*b'), named('a*b'), true],
    ['an escaped star is not a wildcard', file('a\\*b'), named('axb'), false],
    ['an escaped backslash is a literal backslash', file('a\\\\b'), named('a\\b'), true],
    ['without a star it is an exact match', file('abc'), named('abcd'), false],
    ['a repetitive pattern against a long near miss stays false', file('*a*a*a*a*a*a*b'), named('a'.repeat(5000)), false],
    ['matches an element of an event array', file('*.png'), named(['a.jpg', 'b.png']), true],
  ])('%s', (_, pattern, candidate, expected) => {
    expect(matches(pattern, candidate)).toBe(expected);
  });
});

describe('$or', () => {
  const normalOr = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] };
  const parallelOr = {
    $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
  };
  const nestedOr = {
    source: ['aws.cloudwatch'],
    $or: [
      { metricName: ['CPUUtilization', 'ReadLatency'] },
      { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
      { scope: ['Service'] },
    ],
  };
  const docsOr = {
    detail: {
      $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }],
    },
  };
  const cw = (fields: Record<string, unknown>): Record<string, unknown> => ({ source: 'aws.cloudwatch', ...fields });
  it.each<Case>([
    ['the first branch matches (Ruler README)', normalOr, cw({ metricName: 'CPUUtilization' }), true],
    ['the second branch matches', normalOr, cw({ namespace: 'AWS/EC2' }), true],
    ['no branch matches', normalOr, cw({ metricName: 'Other' }), false],
    ['the fields outside $or still apply', normalOr, { source: 'aws.ec2', metricName: 'CPUUtilization' }, false],
    ['parallel $or: one branch of each', parallelOr, { namespace: 'AWS/ES', detail: { 'detail-type': 'CloudWatch Alarm State Change' } }, true],
    ['parallel $or: only one of the two holds', parallelOr, { namespace: 'AWS/ES', detail: { source: 'aws.ec2' } }, false],
    ['a branch with two fields needs both', nestedOr, cw({ metricType: 'MetricType', metricId: 1234 }), false],
    ['a nested $or inside a branch', nestedOr, cw({ metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1000 }), true],
    ['a nested $or must hold too', nestedOr, cw({ metricType: 'MetricType', namespace: 'AWS/ES', spaceId: 1 }), false],
    ['the third branch', nestedOr, cw({ scope: 'Service' }), true],
    ['$or inside detail: the x-limit branch (docs)', docsOr, withDetail({ 'x-limit': 301.8 }), true],
    ['$or inside detail: no branch holds', docsOr, withDetail({ 'c-count': 9, 'd-count': 11 }), false],
    [
      '$or inside an array of objects keeps fields in one element',
      { items: { sku: ['a'], $or: [{ qty: [1] }, { gift: [true] }] } },
      {
        items: [
          { sku: 'a', qty: 2 },
          { sku: 'b', qty: 1 },
        ],
      },
      false,
    ],
    [
      '$or inside an array of objects matches one element',
      { items: { sku: ['a'], $or: [{ qty: [1] }, { gift: [true] }] } },
      { items: [{ sku: 'b' }, { sku: 'a', gift: true }] },
      true,
    ],
    ['exists false as a branch', { $or: [{ region: [{ exists: false }] }, { region: ['eu-west-1'] }] }, { source: 'x' }, true],
    ['a field written again inside $or replaces the earlier one', { a: ['1'], $or: [{ a: ['2'] }, { b: ['3'] }] }, { a: '2' }, true],
    ['the earlier value no longer applies in that branch', { a: ['1'], $or: [{ a: ['2'] }, { b: ['3'] }] }, { a: '1' }, false],
    ['the other branch keeps the earlier value', { a: ['1'], $or: [{ a: ['2'] }, { b: ['3'] }] }, { a: '1', b: '3' }, true],
  ])('%s', (_, pattern, candidate, expected) => {
    expect(matches(pattern, candidate)).toBe(expected);
  });
});

describe('compiling', () => {
  it('accepts a JSON string and an object alike', () => {
    const text = JSON.stringify(ec2Pattern);
    expect(matchesPattern(compilePattern(text), event())).toBe(true);
    expect(matchesPattern(compilePattern(text), withDetail({ state: 'running' }))).toBe(false);
  });

  it('uses the last of a key written twice (docs note)', () => {
    const pattern = compilePattern('{"detail":{"location":[{"prefix":"us-"}],"location":[{"anything-but":"us-east"}]}}');
    expect(matchesPattern(pattern, withDetail({ location: 'eu-west' }))).toBe(true);
    expect(matchesPattern(pattern, withDetail({ location: 'us-east' }))).toBe(false);
  });

  it('compiles once and matches many events', () => {
    const pattern = compilePattern({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } });
    const verdicts = [0, 1, 5, 6, '3'].map((count) => matchesPattern(pattern, withDetail({ 'c-count': count })));
    expect(verdicts).toEqual([false, true, true, false, false]);
  });

  it('accepts operands at the edge of what is allowed', () => {
    for (const operand of [{ prefix: '' }, { cidr: '0.0.0.0/0' }, { cidr: '::/0' }, { numeric: ['>=', -5e9, '<=', 5e9] }, { wildcard: '\\\\*\\*' }]) {
      expect(() => compilePattern({ field: [operand] })).not.toThrow();
    }
  });
});

describe('invalid patterns', () => {
  it('throws an InvalidEventPatternError in AWS form, naming the field', () => {
    let thrown: unknown;
    try {
      compilePattern({ detail: { state: [{ prefix: 5 }] } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidEventPatternError);
    expect(thrown).toMatchObject({
      name: 'InvalidEventPatternError',
      message: 'Event pattern is not valid. Reason: prefix match pattern must be a string (field: detail.state)',
    });
  });

  it('names the $or branch in which the problem is', () => {
    expect(reasonOf({ detail: { $or: [{ a: ['x'] }, { b: [{ prefx: 'y' }] }] } })).toBe(
      'Event pattern is not valid. Reason: Unrecognized match type prefx (field: detail.$or[1].b)',
    );
  });

  const sixWays = (key: string): Record<string, unknown> => ({ $or: [1, 2, 3, 4, 5, 6].map((n) => ({ [`${key}${n}`]: [n] })) });

  it.each<[description: string, pattern: unknown, reason: string]>([
    ['a JSON array', '[]', 'Filter is not an object'],
    ['text that is not JSON', '{source: [x]}', 'Filter is not valid JSON'],
    ['null', null, 'Filter is not an object'],
    ['a number', 42, 'Filter is not an object'],
    ['an empty pattern', {}, 'Empty objects are not allowed'],
    ['an empty nested object', { detail: {} }, 'Empty objects are not allowed (field: detail)'],
    ['a leaf value that is not an array', { source: 'aws.ec2' }, '"source" must be an object or an array'],
    ['a leaf value that is null', { source: null }, '"source" must be an object or an array'],
    ['a leaf value that is a Date', { time: new Date(0) }, '"time" must be an object or an array'],
    ['an empty value list', { source: [] }, 'Empty arrays are not allowed (field: source)'],
    ['an array inside a value list', { source: [['aws.ec2']] }, 'Match value must be String, number, true, false, or null'],
    ['a number that is not finite', { count: [Number.NaN] }, 'Match value must be String, number, true, false, or null'],
    ['an empty match expression', { source: [{}] }, 'Match expression name not found'],
    ['two operators in one expression', { source: [{ prefix: 'a', suffix: 'b' }] }, 'Only one key allowed in match expression'],
    ['an unknown operator', { source: [{ prefx: 'a' }] }, 'Unrecognized match type prefx'],
    ['an unknown operator as a JSON string', '{"source": [{"contains": "a"}]}', 'Unrecognized match type contains'],
    ['prefix with a number', { source: [{ prefix: 5 }] }, 'prefix match pattern must be a string'],
    ['prefix with an unknown inner operator', { source: [{ prefix: { 'ignore-case': 'a' } }] }, 'Unsupported prefix pattern: ignore-case'],
    ['prefix with an empty inner object', { source: [{ prefix: {} }] }, 'Prefix expression name not found'],
    ['prefix equals-ignore-case with a number', { source: [{ prefix: { 'equals-ignore-case': 5 } }] }, 'equals-ignore-case match pattern must be a string'],
    ['suffix with null', { source: [{ suffix: null }] }, 'suffix match pattern must be a string'],
    ['suffix with an unknown inner operator', { source: [{ suffix: { wildcard: 'a' } }] }, 'Unsupported suffix pattern: wildcard'],
    ['equals-ignore-case with a list', { source: [{ 'equals-ignore-case': ['a'] }] }, 'equals-ignore-case match pattern must be a string'],
    ['exists with a string', { source: [{ exists: 'true' }] }, 'exists match pattern must be either true or false.'],
    ['exists with a number', { source: [{ exists: 1 }] }, 'exists match pattern must be either true or false.'],
    ['numeric with a number', { n: [{ numeric: 5 }] }, 'Value of numeric must be an array.'],
    ['numeric with an empty list', { n: [{ numeric: [] }] }, 'Invalid member in numeric match: ]'],
    ['numeric without an operator', { n: [{ numeric: [5] }] }, 'Invalid member in numeric match: 5'],
    ['numeric with an unknown operator', { n: [{ numeric: ['!=', 5] }] }, 'Unrecognized numeric range operator: !='],
    ['numeric with a string operand', { n: [{ numeric: ['>', 'a'] }] }, 'Value of > must be numeric'],
    ['numeric "=" with a string operand', { n: [{ numeric: ['=', '5'] }] }, 'Value of equals must be numeric'],
    ['numeric with an operator and no operand', { n: [{ numeric: ['<='] }] }, 'Value of <= must be numeric'],
    ['numeric with two upper bounds', { n: [{ numeric: ['<', 5, '<', 6] }] }, 'Too many elements in numeric expression'],
    ['numeric "=" with more terms', { n: [{ numeric: ['=', 5, '<', 6] }] }, 'Too many elements in numeric expression'],
    ['numeric with two lower bounds', { n: [{ numeric: ['>', 5, '>', 6] }] }, 'Bad numeric range operator: >'],
    ['numeric with a number where an operator belongs', { n: [{ numeric: ['>', 5, 6] }] }, 'Bad value in numeric range: 6'],
    ['numeric with an upper operator and no bound', { n: [{ numeric: ['>', 5, '<'] }] }, 'Value of < must be numeric'],
    ['numeric with the bounds reversed', { n: [{ numeric: ['>', 10, '<', 5] }] }, 'Bottom must be less than top'],
    ['numeric with equal bounds', { n: [{ numeric: ['>=', 5, '<=', 5] }] }, 'Bottom must be less than top'],
    ['numeric with too many terms', { n: [{ numeric: ['>', 5, '<', 10, '<', 20] }] }, 'Too many terms in numeric range expression'],
    ['numeric beyond the documented range', { n: [{ numeric: ['>', 6e9] }] }, 'Value must be between -5.0E9 and 5.0E9, inclusive'],
    ['cidr with a number', { ip: [{ cidr: 10 }] }, 'cidr match pattern must be a string'],
    ['cidr without a mask', { ip: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required"],
    ['cidr with two slashes', { ip: [{ cidr: '10.0.0.0/8/8' }] }, "Malformed CIDR, one '/' required"],
    ['cidr with a mask that is not a number', { ip: [{ cidr: '10.0.0.0/abc' }] }, 'Malformed CIDR, mask bits must be an integer'],
    ['cidr with a negative mask', { ip: [{ cidr: '10.0.0.0/-1' }] }, 'Malformed CIDR, mask bits must not be negative'],
    ['cidr /32', { ip: [{ cidr: '10.0.0.1/32' }] }, 'IPv4 mask bits must be < 32'],
    ['cidr /128', { ip: [{ cidr: '2001:db8::1/128' }] }, 'IPv6 mask bits must be < 128'],
    ['cidr with a host name', { ip: [{ cidr: 'example.com/24' }] }, 'Nonstandard IP address: example.com'],
    ['cidr with an octet above 255', { ip: [{ cidr: '300.1.1.1/8' }] }, 'Invalid IP address: 300.1.1.1'],
    ['cidr with nine IPv6 groups', { ip: [{ cidr: '1:2:3:4:5:6:7:8:9/64' }] }, 'Invalid IP address: 1:2:3:4:5:6:7:8:9'],
    ['cidr with two "::"', { ip: [{ cidr: '1::2::3/64' }] }, 'Invalid IP address: 1::2::3'],
    ['wildcard with a number', { f: [{ wildcard: 5 }] }, 'wildcard match pattern must be a string'],
    ['wildcard with consecutive stars', { f: [{ wildcard: 'a**b' }] }, 'Consecutive wildcard characters at pos 2'],
    ['wildcard position counts UTF-8 bytes', { f: [{ wildcard: 'é**' }] }, 'Consecutive wildcard characters at pos 3'],
    ['wildcard escaping another character', { f: [{ wildcard: 'a\\b' }] }, 'Invalid escape character at pos 2'],
    ['wildcard ending in a backslash', { f: [{ wildcard: 'ab\\' }] }, 'Invalid escape character at pos 3'],
    ['anything-but with null', { s: [{ 'anything-but': null }] }, 'Value of anything-but must be an array or single string/number value.'],
    ['anything-but with a boolean', { s: [{ 'anything-but': true }] }, 'Value of anything-but must be an array or single string/number value.'],
    ['anything-but with an empty object', { s: [{ 'anything-but': {} }] }, 'Anything-But expression name not found'],
    ['anything-but with numeric inside', { s: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'Unsupported anything-but pattern: numeric'],
    [
      'anything-but with strings and numbers mixed',
      { s: [{ 'anything-but': ['a', 1] }] },
      'either all values are number or string, mixed type is not supported',
    ],
    ['anything-but with an empty list', { s: [{ 'anything-but': [] }] }, 'either all values are number or string'],
    ['anything-but with null in its list', { s: [{ 'anything-but': ['a', null] }] }, 'Inside anything but list, start|null|boolean is not supported.'],
    ['anything-but with an empty prefix', { s: [{ 'anything-but': { prefix: '' } }] }, 'Null prefix/suffix not allowed'],
    ['anything-but with an empty suffix in a list', { s: [{ 'anything-but': { suffix: ['.png', ''] } }] }, 'Null prefix/suffix not allowed'],
    ['anything-but prefix with a number', { s: [{ 'anything-but': { prefix: 5 } }] }, 'prefix/suffix match pattern must be a string'],
    ['anything-but prefix with null', { s: [{ 'anything-but': { prefix: null } }] }, 'Value of anything-but must be an array or single string/number value.'],
    ['anything-but suffix list with a number', { s: [{ 'anything-but': { suffix: ['a', 1] } }] }, 'prefix/suffix match pattern must be a string'],
    [
      'anything-but equals-ignore-case with a number',
      { s: [{ 'anything-but': { 'equals-ignore-case': 5 } }] },
      'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
    ],
    ['anything-but wildcard with consecutive stars', { s: [{ 'anything-but': { wildcard: ['*/lib/*', 'a**'] } }] }, 'Consecutive wildcard characters at pos 2'],
    ['anything-but with an empty nested list', { s: [{ 'anything-but': { wildcard: [] } }] }, 'Empty arrays are not allowed'],
    ['anything-but with a number beyond the range', { s: [{ 'anything-but': 6e9 }] }, 'Value must be between -5.0E9 and 5.0E9, inclusive'],
    ['$or that is an object', { $or: { a: ['x'] } }, '$or must be an array of at least 2 objects'],
    ['$or with one object', { $or: [{ a: ['x'] }] }, '$or must be an array of at least 2 objects'],
    ['$or with an empty array', { detail: { $or: [] } }, '$or must be an array of at least 2 objects (field: detail.$or)'],
    ['$or with a value that is not an object', { $or: [{ a: ['x'] }, 'b'] }, 'Only JSON objects are allowed in an $or array (field: $or[1])'],
    ['$or with an empty object', { $or: [{}, { a: ['x'] }] }, 'Empty objects are not allowed (field: $or[0])'],
    [
      '$or naming an operator as a field',
      { $or: [{ prefix: ['x'] }, { b: ['y'] }] },
      '"prefix" is a reserved word which cannot be used as a field name inside $or',
    ],
    ['$or naming an operator deeper down', { $or: [{ a: { numeric: [1] } }, { b: ['y'] }] }, '"numeric" is a reserved word'],
    [
      '$or expanding to more than 1000 combinations',
      { ...sixWays('a'), b: sixWays('b'), c: sixWays('c'), d: sixWays('d') },
      '$or expands to more than 1000 rule combinations',
    ],
  ])('refuses %s', (_, pattern, reason) => {
    const message = reasonOf(pattern);
    expect(message.startsWith('Event pattern is not valid. Reason: ')).toBe(true);
    expect(message).toContain(reason);
  });
});
