import { describe, expect, it } from 'vitest';
import { customerEvents, customersFromEndpoints, type Endpoint } from '#cli/import/pinpoint/index.ts';

const endpoint = (fields: Partial<Endpoint> & Pick<Endpoint, 'Id' | 'ChannelType'>): Endpoint => ({ EffectiveDate: '2026-05-01T10:00:00.000Z', ...fields });

describe('Pinpoint endpoints as customers', () => {
  it("merges a user's endpoints: the active email address, locale and time zone, attributes, other channels' addresses", () => {
    const { customers, tally } = customersFromEndpoints([
      endpoint({
        Id: 'e1',
        ChannelType: 'EMAIL',
        Address: 'old@example.com',
        EndpointStatus: 'INACTIVE',
        EffectiveDate: '2026-06-01T00:00:00Z',
        User: { UserId: 'c-1' },
      }),
      endpoint({
        Id: 'e2',
        ChannelType: 'EMAIL',
        Address: 'mina@example.com',
        OptOut: 'NONE',
        Demographic: { Locale: 'ko_KR', Timezone: 'Asia/Seoul' },
        Attributes: { hobbies: ['hiking', 'tea'], color: ['blue'] },
        Metrics: { visits: 4 },
        User: { UserId: 'c-1', UserAttributes: { color: ['green'] } },
      }),
      endpoint({ Id: 'e3', ChannelType: 'SMS', Address: '+821012345678', OptOut: 'ALL', Location: { Country: 'KR' }, User: { UserId: 'c-1' } }),
    ]);

    expect(customers).toEqual([
      {
        key: 'c-1',
        customer: { id: 'c-1', email: 'mina@example.com', locale: 'ko-KR', timezone: 'Asia/Seoul' },
        attributes: {
          hobbies: 'hiking, tea',
          color: 'green',
          visits: 4,
          country: 'KR',
          smsAddress: '+821012345678',
          smsOptOut: true,
          importedFrom: 'pinpoint',
        },
        subscribed: true,
        occurredAt: '2026-06-01T00:00:00.000Z',
      },
    ]);
    expect(tally).toMatchObject({ endpoints: 3, byChannel: { EMAIL: 2, SMS: 1 }, otherChannels: 1, optedOut: 0 });
  });

  it('takes an opted-out email endpoint as no marketing consent, and makes a customer of an email endpoint without a user', () => {
    const { customers, tally } = customersFromEndpoints([endpoint({ Id: 'e1', ChannelType: 'EMAIL', Address: 'Lead@Example.com', OptOut: 'ALL' })]);

    expect(customers).toEqual([
      {
        key: 'email:lead@example.com',
        customer: { email: 'Lead@Example.com' },
        attributes: { importedFrom: 'pinpoint' },
        subscribed: false,
        occurredAt: '2026-05-01T10:00:00.000Z',
      },
    ]);
    expect(tally.optedOut).toBe(1);
  });

  it('leaves out and counts endpoints it cannot place, and attribute values a profile cannot hold', () => {
    const { customers, tally } = customersFromEndpoints([
      endpoint({ Id: 'e1', ChannelType: 'SMS', Address: '+15550001' }),
      endpoint({ Id: 'e2', ChannelType: 'EMAIL', Address: 'x@example.com', User: { UserId: 'has spaces' } }),
      endpoint({ Id: 'e3', ChannelType: 'EMAIL', Address: 'y@example.com', EffectiveDate: 'yesterday' }),
      endpoint({ Id: 'e4', ChannelType: 'GCM', Address: 'token', User: { UserId: 'c-2', UserAttributes: { note: ['a\u0007b'], empty: [] } } }),
    ]);

    expect(customers.map((customer) => [customer.key, customer.customer, customer.attributes, customer.subscribed])).toEqual([
      ['c-2', { id: 'c-2' }, { gcmAddress: 'token', importedFrom: 'pinpoint' }, undefined],
    ]);
    expect(tally.skipped).toEqual({
      'no User.UserId and no email address': 1,
      'User.UserId is not a usable customer id': 1,
      'no EffectiveDate or CreationDate': 1,
    });
    expect(tally.valuesDropped).toBe(2);
  });
});

describe('a customer import as events', () => {
  const customer = {
    key: 'c-1',
    customer: { id: 'c-1', email: 'mina@example.com' },
    attributes: { plan: 'gold', importedFrom: 'pinpoint' },
    subscribed: false,
    occurredAt: '2026-05-01T10:00:00.000Z',
  };

  it('is a profile update and a consent statement, stamped with the endpoint date', () => {
    const events = customerEvents(customer);

    expect(events.map((event) => [event.detailType, event.detail.occurredAt, event.detail.customer, event.detail.data])).toEqual([
      ['profile.updated', '2026-05-01T10:00:00.000Z', { id: 'c-1', email: 'mina@example.com' }, { attributes: { importedFrom: 'pinpoint', plan: 'gold' } }],
      ['consent.updated', '2026-05-01T10:00:00.000Z', { id: 'c-1', email: 'mina@example.com' }, { channel: 'email', subscribed: false }],
    ]);
  });

  it('has the same event ids for the same data, and new ones when the data changed', () => {
    const ids = (events: ReturnType<typeof customerEvents>) => events.map((event) => event.detail.eventId);

    expect(ids(customerEvents(customer))).toEqual(ids(customerEvents({ ...customer })));
    expect(ids(customerEvents({ ...customer, subscribed: true }))).not.toEqual(ids(customerEvents(customer)));
  });

  it('splits more than 50 attributes over several updates', () => {
    const attributes = Object.fromEntries(Array.from({ length: 120 }, (_, index) => [`a${index}`, index]));

    const events = customerEvents({ ...customer, attributes });

    expect(
      events
        .filter((event) => event.detailType === 'profile.updated')
        .map((event) => Object.keys((event.detail.data as { attributes: object }).attributes).length),
    ).toEqual([50, 50, 20]);
  });
});
