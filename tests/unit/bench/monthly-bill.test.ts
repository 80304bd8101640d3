import { describe, expect, it } from 'vitest';
import { archiveRetentionDays, environmentValue, fixedMonthlyCosts, logRetentionDays, tableSettings } from '#bench/fixed-costs.ts';
import { STANDARD_DESIGN } from '#bench/journey-designs.ts';
import { monthlyBill, xrayTracesPerMonth } from '#bench/monthly-bill.ts';
import { itemBytes, valueBytes } from '#bench/storage.ts';

const template = {
  Resources: {
    Key: { Type: 'AWS::KMS::Key' },
    Secret: { Type: 'AWS::SecretsManager::Secret' },
    One: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors' } },
    Math: { Type: 'AWS::CloudWatch::Alarm', Properties: { Metrics: [{ MetricStat: {} }, { MetricStat: {} }, { Expression: 'a+b' }] } },
    Board: { Type: 'AWS::CloudWatch::Dashboard' },
    Filter: { Type: 'AWS::Logs::MetricFilter', Properties: { MetricTransformations: [{ MetricName: 'StageChanges', Dimensions: [{ Key: 'Stage' }] }] } },
    // Two filters writing one metric, per journey and version.
    ParticipantsA: {
      Type: 'AWS::Logs::MetricFilter',
      Properties: { MetricTransformations: [{ MetricName: 'JourneyParticipants', Dimensions: [{ Key: 'Journey' }, { Key: 'Version' }] }] },
    },
    ParticipantsB: {
      Type: 'AWS::Logs::MetricFilter',
      Properties: { MetricTransformations: [{ MetricName: 'JourneyParticipants', Dimensions: [{ Key: 'Journey' }, { Key: 'Version' }] }] },
    },
    Mapping: { Type: 'AWS::Lambda::EventSourceMapping' },
    LogsA: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
    LogsB: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } },
    LogsC: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } },
    Archive: { Type: 'AWS::Events::Archive', Properties: { RetentionDays: 365 } },
    Fn: { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { TIMELINE_RETENTION_DAYS: '730' } } } },
    Table: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [{ KeySchema: [{ AttributeName: 'stage', KeyType: 'HASH' }] }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    },
  },
};

describe('the fixed monthly costs', () => {
  it('prices what the template creates, by hand', () => {
    const lines = Object.fromEntries(fixedMonthlyCosts(template, { journeyVersions: 4 }).map((line) => [line.item, line.usdPerMonth]));
    expect(lines['KMS customer-managed keys']).toBeCloseTo(1, 9);
    expect(lines['Secrets Manager secrets']).toBeCloseTo(0.4, 9);
    // One plain alarm and one reading two metrics: three alarm metrics at $0.10.
    expect(lines['CloudWatch alarm metrics']).toBeCloseTo(0.3, 9);
    expect(lines['CloudWatch dashboards']).toBeCloseTo(3, 9);
    // Stage changes by stage and participants by journey version: six and four metrics at $0.30.
    expect(lines['CloudWatch custom metrics from metric filters']).toBeCloseTo(3.0, 9);
    // 5 pollers × 3 receives a minute × 43,200 minutes at $0.40 per million.
    expect(lines['SQS receives by idle event source mappings']).toBeCloseTo(648_000 * 0.4e-6, 9);
  });

  it('reads the retentions and the table settings the bill depends on', () => {
    expect(logRetentionDays(template)).toBe(30);
    expect(archiveRetentionDays(template)).toBe(365);
    expect(environmentValue(template, 'TIMELINE_RETENTION_DAYS')).toBe('730');
    expect(tableSettings(template)).toEqual({ ttlAttribute: 'expiresAt', pitr: true, indexes: [{ partitionKey: 'stage', keys: ['stage', 'pk', 'sk'] }] });
  });
});

describe('the monthly bill', () => {
  it('records every request within the reservoir and 5 % beyond it', () => {
    expect(xrayTracesPerMonth(1000)).toBe(1000);
    // 2,592,000 seconds in 30 days: the reservoir, then 5 % of the 7,408,000 left.
    expect(xrayTracesPerMonth(10_000_000)).toBeCloseTo(2_592_000 + 370_400, 6);
  });

  it('adds usage, steady-state storage, the archive, X-Ray and the fixed costs', () => {
    const GB = 1024 ** 3;
    const bill = monthlyBill(
      {
        variablePerCustomerMonthUsd: 0.001,
        tracedPerCustomerMonth: 0,
        lastingBytesPerCustomer: GB / 1_000_000,
        expiringBytesPerCustomerMonth: GB / 1_000_000,
        timelineRetentionMonths: 24,
        pitr: true,
        archivedBytesPerCustomerMonth: GB / 1_000_000,
        archiveRetentionMonths: 12,
        fixedMonthlyUsd: 10,
      },
      1_000_000,
    );
    expect(bill.usage).toBeCloseTo(1000, 9);
    // 1 GB lasting + 24 GB of timeline, at $0.25 stored and $0.20 backed up.
    expect(bill.storage).toBeCloseTo(25 * 0.45, 9);
    // 1 GB a month archived at $0.10, kept 12 months at $0.023.
    expect(bill.archive).toBeCloseTo(0.1 + 12 * 0.023, 9);
    expect(bill.total).toBeCloseTo(1000 + 11.25 + 0.376 + 10, 9);
    expect(bill.perCustomer).toBeCloseTo(bill.total / 1_000_000, 12);
  });
});

describe('table storage', () => {
  it('sizes attributes as DynamoDB does', () => {
    expect(valueBytes({ S: '한' })).toBe(3);
    expect(valueBytes({ N: '12345' })).toBe(4);
    expect(valueBytes({ BOOL: true })).toBe(1);
    expect(valueBytes({ M: { a: { S: 'xy' } } })).toBe(3 + 1 + 2 + 1);
    expect(itemBytes({ pk: { S: 'C#1' }, n: { N: '7' } })).toBe(2 + 3 + 1 + 2);
  });
});

describe('journey designs', () => {
  it('compares with the Standard design in the unit Pinpoint billed: $0.00128 a customer-month, more than Pinpoint', () => {
    expect(STANDARD_DESIGN.perCustomerMonthUsd).toBeCloseTo(0.001277, 6);
  });
});
