import { describe, expect, it } from 'vitest';
import {
  DETAIL_TYPES,
  engagementEvent,
  sentEmailFrom,
  sesDestinationsFrom,
  sesEventsFor,
  type SentEmail,
  type SesEventDestination,
} from '#local/ses/event-publishing.ts';
import { checkBehaviour } from '#local/ses/recipient-simulation.ts';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const SENT_AT = Date.parse('2026-11-22T12:00:00Z');
const BUS = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`;
const ALL_TYPES = ['SEND', 'DELIVERY', 'BOUNCE', 'COMPLAINT', 'OPEN', 'CLICK', 'RENDERING_FAILURE', 'DELIVERY_DELAY'];

interface PublishedRecord {
  readonly eventType: string;
  readonly mail: {
    readonly timestamp: string;
    readonly source: string;
    readonly sendingAccountId: string;
    readonly messageId: string;
    readonly destination: string[];
    readonly headersTruncated: boolean;
    readonly headers: { name: string; value: string }[];
    readonly commonHeaders: { from: string[]; to: string[]; messageId: string; subject?: string };
    readonly tags: Record<string, string[]>;
  };
  readonly bounce?: {
    bounceType: string;
    bounceSubType: string;
    bouncedRecipients: { emailAddress: string; action: string; status: string; diagnosticCode: string }[];
    timestamp: string;
    feedbackId: string;
    reportingMTA: string;
  };
  readonly complaint?: { complainedRecipients: { emailAddress: string }[]; complaintFeedbackType: string; timestamp: string; feedbackId: string };
  readonly delivery?: { recipients: string[]; timestamp: string; processingTimeMillis: number; smtpResponse: string; reportingMTA: string };
  readonly open?: { timestamp: string; userAgent: string; ipAddress: string };
  readonly click?: { timestamp: string; link: string; linkTags: Record<string, string[]>; ipAddress: string; userAgent: string };
}

function email(settings: Partial<SentEmail> = {}): SentEmail {
  return {
    messageId: '0100018c-msg-1',
    from: 'Lifecycle <hello@example.com>',
    to: ['success@simulator.amazonses.com'],
    subject: 'Welcome aboard',
    configurationSetName: 'lifecycle-events',
    tags: [],
    sentAt: SENT_AT,
    links: ['https://shop.example.com/welcome'],
    ...settings,
  };
}

function destination(settings: Partial<SesEventDestination> = {}): SesEventDestination {
  return { configurationSetName: 'lifecycle-events', matchingEventTypes: ALL_TYPES, eventBusArn: BUS, enabled: true, ...settings };
}

/** The event types published for an email, in order, with the records parsed. */
function publish(sent: SentEmail, destinations: SesEventDestination[] = [destination()]) {
  const groups = sesEventsFor(sent, destinations, REGION, ACCOUNT);
  const entries = groups.flatMap((group) => group.entries);
  const records = entries.map((entry) => JSON.parse(entry.Detail) as PublishedRecord);
  return { groups, entries, records, types: records.map((record) => record.eventType) };
}

describe('SES event publishing: the mailbox simulator', () => {
  it.each([
    ['someone@example.com', ['Send', 'Delivery']],
    ['success@simulator.amazonses.com', ['Send', 'Delivery']],
    ['success+run-7@simulator.amazonses.com', ['Send', 'Delivery']],
    ['ooto@simulator.amazonses.com', ['Send', 'Delivery']],
    ['bounce@simulator.amazonses.com', ['Send', 'Bounce']],
    ['bounce+label@simulator.amazonses.com', ['Send', 'Bounce']],
    ['suppressionlist@simulator.amazonses.com', ['Send', 'Bounce']],
    ['complaint@simulator.amazonses.com', ['Send', 'Delivery', 'Complaint']],
    ['Complaint+X@Simulator.AmazonSES.com', ['Send', 'Delivery', 'Complaint']],
  ])('%s gets %j', (address, expected) => {
    expect(publish(email({ to: [address] })).types).toEqual(expected);
  });

  it('reports a hard bounce from bounce@ as SMTP 550 5.1.1 user unknown', () => {
    const { records, entries } = publish(email({ to: ['bounce@simulator.amazonses.com'] }));
    const bounce = records[1]?.bounce;
    expect(bounce).toMatchObject({
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        { emailAddress: 'bounce@simulator.amazonses.com', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
      ],
    });
    expect(bounce?.feedbackId).toMatch(/-000000$/);
    expect(bounce?.reportingMTA).toMatch(/^dsn; /);
    // Published a moment after the send, at the time the record says.
    expect(entries[1]?.Time.getTime()).toBeGreaterThan(SENT_AT);
    expect(entries[1]?.Time.toISOString()).toBe(bounce?.timestamp);
  });

  it('reports suppressionlist@ as a permanent bounce of subtype Suppressed', () => {
    const { records } = publish(email({ to: ['suppressionlist@simulator.amazonses.com'] }));
    expect(records[1]?.bounce).toMatchObject({ bounceType: 'Permanent', bounceSubType: 'Suppressed' });
  });

  it('reports complaint@ as delivered, then an abuse complaint', () => {
    const { records } = publish(email({ to: ['complaint@simulator.amazonses.com'] }));
    expect(records[1]?.delivery).toMatchObject({ recipients: ['complaint@simulator.amazonses.com'], smtpResponse: expect.stringMatching(/^250 /) as unknown });
    expect(records[2]?.complaint).toMatchObject({
      complainedRecipients: [{ emailAddress: 'complaint@simulator.amazonses.com' }],
      complaintFeedbackType: 'abuse',
    });
  });

  it('splits an email to several recipients into one delivery and one bounce', () => {
    const { records } = publish(email({ to: ['a@example.com', 'bounce@simulator.amazonses.com', 'b@example.com'] }));
    expect(records.map((record) => record.eventType)).toEqual(['Send', 'Bounce', 'Delivery']);
    expect(records[1]?.bounce?.bouncedRecipients.map((recipient) => recipient.emailAddress)).toEqual(['bounce@simulator.amazonses.com']);
    expect(records[2]?.delivery?.recipients).toEqual(['a@example.com', 'b@example.com']);
  });
});

describe('SES event publishing: destinations', () => {
  it('publishes only the event types the destination matches', () => {
    const { types } = publish(email({ to: ['complaint@simulator.amazonses.com'] }), [destination({ matchingEventTypes: ['BOUNCE', 'COMPLAINT'] })]);
    expect(types).toEqual(['Complaint']);
  });

  it('reads the lower-case event type names CDK writes', () => {
    const { types } = publish(email(), [destination({ matchingEventTypes: ['send', 'delivery'] })]);
    expect(types).toEqual(['Send', 'Delivery']);
  });

  it('publishes nothing to a disabled destination', () => {
    expect(publish(email(), [destination({ enabled: false })]).groups).toEqual([]);
  });

  it('publishes nothing for an email sent without a configuration set', () => {
    const { configurationSetName: _, ...withoutSet } = email();
    expect(publish(withoutSet).groups).toEqual([]);
  });

  it("publishes nothing for another configuration set's destination", () => {
    expect(publish(email(), [destination({ configurationSetName: 'other' })]).groups).toEqual([]);
  });

  it('gives each destination its bus and the same events', () => {
    const other = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/audit`;
    const { groups } = publish(email(), [destination(), destination({ eventBusArn: other, matchingEventTypes: ['DELIVERY'] })]);
    expect(groups.map((group) => [group.destinationBusArn, group.entries.map((entry) => entry.DetailType)])).toEqual([
      [BUS, ['Email Sent', 'Email Delivered']],
      [other, ['Email Delivered']],
    ]);
    expect(groups[1]?.entries[0]).toEqual(groups[0]?.entries[1]);
  });

  it('reads EventBridge destinations from template resources', () => {
    const resources = [
      { Type: 'AWS::SES::ConfigurationSet', Properties: { Name: 'lifecycle-events' } },
      {
        Type: 'AWS::SES::ConfigurationSetEventDestination',
        Properties: {
          ConfigurationSetName: 'lifecycle-events',
          EventDestination: { Enabled: true, MatchingEventTypes: ['send', 'renderingFailure', 'DELIVERY_DELAY'], EventBridgeDestination: { EventBusArn: BUS } },
        },
      },
      {
        Type: 'AWS::SES::ConfigurationSetEventDestination',
        Properties: {
          ConfigurationSetName: 'lifecycle-events',
          EventDestination: { MatchingEventTypes: ['bounce'], EventBridgeDestination: { EventBusArn: BUS } },
        },
      },
      {
        Type: 'AWS::SES::ConfigurationSetEventDestination',
        Properties: {
          ConfigurationSetName: 'lifecycle-events',
          EventDestination: { Enabled: true, MatchingEventTypes: ['bounce'], SnsDestination: { TopicARN: 'arn:aws:sns:eu-west-1:123456789012:t' } },
        },
      },
      { Type: 'AWS::SQS::Queue', Properties: {} },
    ];
    expect(sesDestinationsFrom(resources)).toEqual([
      { configurationSetName: 'lifecycle-events', matchingEventTypes: ['SEND', 'RENDERING_FAILURE', 'DELIVERY_DELAY'], eventBusArn: BUS, enabled: true },
      { configurationSetName: 'lifecycle-events', matchingEventTypes: ['BOUNCE'], eventBusArn: BUS, enabled: false },
    ]);
  });
});

describe('SES event publishing: the records', () => {
  it('names the detail-types as EventBridge does', () => {
    expect(DETAIL_TYPES).toEqual({
      Send: 'Email Sent',
      Delivery: 'Email Delivered',
      Bounce: 'Email Bounced',
      Complaint: 'Email Complaint Received',
      Reject: 'Email Rejected',
      Open: 'Email Opened',
      Click: 'Email Clicked',
      'Rendering Failure': 'Email Rendering Failed',
      DeliveryDelay: 'Email Delivery Delayed',
      Subscription: 'Email Subscribed',
    });
    const { entries } = publish(email({ to: ['complaint@simulator.amazonses.com'] }));
    expect(entries.map((entry) => [entry.Source, entry.DetailType])).toEqual([
      ['aws.ses', 'Email Sent'],
      ['aws.ses', 'Email Delivered'],
      ['aws.ses', 'Email Complaint Received'],
    ]);
  });

  it('describes the email in mail, with its common headers', () => {
    const { records, entries } = publish(email({ to: ['ada@example.com', 'grace@example.com'] }));
    const mail = records[0]?.mail;
    expect(entries[0]?.Time).toEqual(new Date(SENT_AT));
    expect(mail).toMatchObject({
      timestamp: '2026-11-22T12:00:00.000Z',
      source: 'Lifecycle <hello@example.com>',
      sendingAccountId: ACCOUNT,
      messageId: '0100018c-msg-1',
      destination: ['ada@example.com', 'grace@example.com'],
      headersTruncated: false,
      commonHeaders: {
        from: ['Lifecycle <hello@example.com>'],
        to: ['ada@example.com', 'grace@example.com'],
        messageId: '0100018c-msg-1',
        subject: 'Welcome aboard',
      },
    });
    expect(mail?.headers).toContainEqual({ name: 'Subject', value: 'Welcome aboard' });
  });

  it('maps tags to lists of values, next to the ones SES adds', () => {
    const { records } = publish(
      email({
        tags: [
          { Name: 'campaign', Value: 'welcome' },
          { Name: 'stage', Value: 'onboarding' },
        ],
      }),
    );
    expect(records[0]?.mail.tags).toEqual({
      'ses:operation': ['SendEmail'],
      'ses:configuration-set': ['lifecycle-events'],
      'ses:source-ip': ['127.0.0.1'],
      'ses:from-domain': ['example.com'],
      'ses:caller-identity': ['local'],
      campaign: ['welcome'],
      stage: ['onboarding'],
    });
  });

  it('builds opens and clicks on request', () => {
    const at = SENT_AT + 3_600_000;
    const open = engagementEvent(email(), 'open', at);
    const click = engagementEvent(email(), 'click', at, 'https://example.com/start');
    expect([open.Source, open.DetailType, open.Time]).toEqual(['aws.ses', 'Email Opened', new Date(at)]);
    expect(JSON.parse(open.Detail)).toMatchObject({
      eventType: 'Open',
      open: { timestamp: '2026-11-22T13:00:00.000Z' },
      mail: { messageId: '0100018c-msg-1' },
    });
    expect(click.DetailType).toBe('Email Clicked');
    expect(JSON.parse(click.Detail)).toMatchObject({
      eventType: 'Click',
      click: { link: 'https://example.com/start', linkTags: {}, timestamp: '2026-11-22T13:00:00.000Z' },
    });
    expect(() => engagementEvent(email(), 'click', at)).toThrow('needs the link');
  });
});

describe('reading SendEmail requests', () => {
  it('reads Simple content, the destination and tags', () => {
    const request = {
      FromEmailAddress: 'Lifecycle <hello@example.com>',
      Destination: { ToAddresses: ['Ada <ada@example.com>'], CcAddresses: ['grace@example.com'], BccAddresses: ['audit@example.com'] },
      Content: { Simple: { Subject: { Data: 'Welcome aboard', Charset: 'UTF-8' }, Body: { Text: { Data: 'Hi' } } } },
      EmailTags: [{ Name: 'campaign', Value: 'welcome' }],
      ConfigurationSetName: 'lifecycle-events',
    };
    expect(sentEmailFrom(request, { MessageId: 'ses-1' }, SENT_AT)).toEqual({
      messageId: 'ses-1',
      from: 'Lifecycle <hello@example.com>',
      to: ['ada@example.com', 'grace@example.com', 'audit@example.com'],
      subject: 'Welcome aboard',
      configurationSetName: 'lifecycle-events',
      tags: [{ Name: 'campaign', Value: 'welcome' }],
      sentAt: SENT_AT,
      links: [],
    });
  });

  it('reads the links of the HTML part, each once, else the URLs of the text', () => {
    const html =
      '<p><a href="https://shop.example.com/a?x=1&amp;y=2">A</a> <a class="b" href = "http://shop.example.com/b">B</a> <a href="mailto:help@example.com">mail</a> <a href="https://shop.example.com/a?x=1&amp;y=2">A again</a></p>';
    const simple = (body: Record<string, unknown>) => ({ Content: { Simple: { Subject: { Data: 'Hi' }, Body: body } } });
    expect(sentEmailFrom(simple({ Html: { Data: html }, Text: { Data: 'https://text.example.com' } }), { MessageId: 'ses-5' }, SENT_AT).links).toEqual([
      'https://shop.example.com/a?x=1&y=2',
      'http://shop.example.com/b',
    ]);
    expect(
      sentEmailFrom(simple({ Text: { Data: 'See https://shop.example.com/c and http://shop.example.com/d' } }), { MessageId: 'ses-6' }, SENT_AT).links,
    ).toEqual(['https://shop.example.com/c', 'http://shop.example.com/d']);
  });

  it('reads From, To and Subject of Raw content from its MIME headers', () => {
    const mime = [
      'From: "Lifecycle, Inc." <hello@example.com>',
      'To: Ada Lovelace <ada@example.com>,',
      ' grace@example.com',
      'Cc: Undisclosed: team@example.com;',
      'Subject: =?UTF-8?B?V2lsbGtvbW1lbiDwn5GL?=',
      'X-SES-CONFIGURATION-SET: lifecycle-events',
      'X-SES-MESSAGE-TAGS: campaign=welcome, variant=b',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'To: not-a-header@example.com',
    ].join('\r\n');
    const request = { Content: { Raw: { Data: Buffer.from(mime).toString('base64') } }, EmailTags: [{ Name: 'stage', Value: 'onboarding' }] };
    expect(sentEmailFrom(request, { MessageId: 'ses-2' }, SENT_AT)).toEqual({
      messageId: 'ses-2',
      from: '"Lifecycle, Inc." <hello@example.com>',
      to: ['ada@example.com', 'grace@example.com', 'team@example.com'],
      subject: 'Willkommen 👋',
      configurationSetName: 'lifecycle-events',
      tags: [
        { Name: 'stage', Value: 'onboarding' },
        { Name: 'campaign', Value: 'welcome' },
        { Name: 'variant', Value: 'b' },
      ],
      sentAt: SENT_AT,
      links: [],
    });
  });

  it('prefers the request over the raw headers, and decodes Q-encoded subjects', () => {
    const mime = [
      'From: other@example.com',
      'To: ignored@example.com',
      'Subject: =?ISO-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?=',
      'X-SES-CONFIGURATION-SET: from-header',
      '',
      'body',
    ].join('\n');
    const request = {
      FromEmailAddress: 'hello@example.com',
      Destination: { ToAddresses: ['ada@example.com'] },
      ConfigurationSetName: 'from-request',
      Content: { Raw: { Data: Buffer.from(mime).toString('base64') } },
    };
    expect(sentEmailFrom(request, { MessageId: 'ses-3' }, SENT_AT)).toMatchObject({
      from: 'hello@example.com',
      to: ['ada@example.com'],
      subject: 'Grüße aus Köln',
      configurationSetName: 'from-request',
    });
  });

  it('reads templated emails without a subject', () => {
    const request = {
      FromEmailAddress: 'hello@example.com',
      Destination: { ToAddresses: ['ada@example.com'] },
      Content: { Template: { TemplateName: 'welcome', TemplateData: '{}' } },
    };
    const sent = sentEmailFrom(request, { MessageId: 'ses-4' }, SENT_AT);
    expect(sent.subject).toBeUndefined();
    expect(sent.configurationSetName).toBeUndefined();
    expect(sent.tags).toEqual([]);
  });

  it('refuses a response without a message id', () => {
    expect(() => sentEmailFrom({ Content: {} }, {}, SENT_AT)).toThrow('MessageId');
  });
});

describe('SES event publishing: simulated recipients', () => {
  const behaviour = { openRate: 0.3, clickRate: 0.05, seed: 7 };
  // Two thousand different emails (one recipient each), as a week of a small shop's mail.
  const emails = Array.from({ length: 2000 }, (_, n) => email({ messageId: `msg-${n}`, to: [`customer-${n}@example.com`] }));
  const published = emails.map((each) => sesEventsFor(each, [destination()], REGION, ACCOUNT, behaviour).flatMap((group) => group.entries));
  const typesOf = (entries: (typeof published)[number]) => entries.map((entry) => (JSON.parse(entry.Detail) as PublishedRecord).eventType);

  it('opens and clicks about the shares asked for, each click after an open of the same email', () => {
    const opened = published.filter((entries) => typesOf(entries).includes('Open')).length;
    const clicked = published.filter((entries) => typesOf(entries).includes('Click')).length;
    // 600 and 100 expected; a binomial spread of four standard deviations either way (±82, ±39).
    expect(opened).toBeGreaterThan(518);
    expect(opened).toBeLessThan(682);
    expect(clicked).toBeGreaterThan(61);
    expect(clicked).toBeLessThan(139);
    for (const entries of published) {
      const types = typesOf(entries);
      if (types.includes('Open')) expect(types.indexOf('Open')).toBeGreaterThan(types.indexOf('Delivery'));
      if (types.includes('Click')) expect(types.indexOf('Click')).toBeGreaterThan(types.indexOf('Open'));
      const times = entries.map((entry) => entry.Time.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('gives an email the same fate on every run, whatever its SES message id, and another fate with another seed', () => {
    const again = emails.map((each) =>
      sesEventsFor({ ...each, messageId: `other-${each.messageId}` }, [destination()], REGION, ACCOUNT, behaviour).flatMap((group) => group.entries),
    );
    expect(again.map(typesOf)).toEqual(published.map(typesOf));
    expect(again.map((entries) => entries.map((entry) => entry.Time.getTime()))).toEqual(
      published.map((entries) => entries.map((entry) => entry.Time.getTime())),
    );
    const reseeded = emails.map((each) =>
      typesOf(sesEventsFor(each, [destination()], REGION, ACCOUNT, { ...behaviour, seed: 8 }).flatMap((group) => group.entries)),
    );
    expect(reseeded).not.toEqual(published.map(typesOf));
  });

  it("clicks one of the email's links, reported as SES reports a click", () => {
    const clicked = published
      .flatMap((entries) => entries.filter((entry) => entry.DetailType === DETAIL_TYPES.Click))
      .map((entry) => JSON.parse(entry.Detail) as PublishedRecord);
    expect(clicked.length).toBeGreaterThan(0);
    for (const record of clicked) expect(record.click).toMatchObject({ link: 'https://shop.example.com/welcome', linkTags: {} });
  });

  it('opens only delivered email, never a bounced one, and clicks nothing without a link', () => {
    const all = { openRate: 1, clickRate: 1 };
    expect(publish(email({ to: ['bounce@simulator.amazonses.com'] })).types).toEqual(['Send', 'Bounce']);
    expect(
      typesOf(sesEventsFor(email({ to: ['bounce@simulator.amazonses.com'] }), [destination()], REGION, ACCOUNT, all).flatMap((group) => group.entries)),
    ).toEqual(['Send', 'Bounce']);
    expect(typesOf(sesEventsFor(email(), [destination()], REGION, ACCOUNT, all).flatMap((group) => group.entries))).toEqual([
      'Send',
      'Delivery',
      'Open',
      'Click',
    ]);
    expect(typesOf(sesEventsFor(email({ links: [] }), [destination()], REGION, ACCOUNT, all).flatMap((group) => group.entries))).toEqual([
      'Send',
      'Delivery',
      'Open',
    ]);
    // Without simulated recipients nothing is opened.
    expect(publish(email()).types).toEqual(['Send', 'Delivery']);
  });

  it('refuses shares outside 0 to 1, or more clicks than opens', () => {
    expect(() => checkBehaviour({ openRate: 1.5, clickRate: 0 })).toThrow('the open rate must be a share from 0 to 1, not 1.5');
    expect(() => checkBehaviour({ openRate: Number.NaN, clickRate: 0 })).toThrow('not NaN');
    expect(() => checkBehaviour({ openRate: 0.2, clickRate: 0.3 })).toThrow('the click rate must be a share from 0 to the open rate (0.2), not 0.3');
    expect(checkBehaviour(behaviour)).toBe(behaviour);
  });
});
