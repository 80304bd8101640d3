import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { EnvVars } from '#shared/config.ts';
import { NOTICE_INDEX, STAGE_INDEX, TABLE_KEYS, TTL_ATTRIBUTE } from '#shared/profile/table-design.ts';

export interface ProfileStoreProps {
  readonly tableName: string;
  /** @default RemovalPolicy.RETAIN: customer data outlives a stack deletion unless you say so */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The profile store: one on-demand DynamoDB table holding profiles, timelines and identities
 * (the design is documented in shared/profile/table-design.ts), with point-in-time recovery and a
 * time-to-live attribute.
 */
export class ProfileStore extends Construct {
  public readonly table: Table;

  constructor(scope: Construct, id: string, props: ProfileStoreProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: STAGE_INDEX.name,
      partitionKey: { name: STAGE_INDEX.partitionKey, type: AttributeType.STRING },
      sortKey: { name: STAGE_INDEX.sortKey, type: AttributeType.STRING },
      // Keys only: an index that projected profile attributes would be rewritten on every event.
      projectionType: ProjectionType.KEYS_ONLY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: NOTICE_INDEX.name,
      partitionKey: { name: NOTICE_INDEX.partitionKey, type: AttributeType.STRING },
      sortKey: { name: NOTICE_INDEX.sortKey, type: AttributeType.STRING },
      // Sparse and keys only: a profile is in it while a notice is due some day, and moves only when that day does.
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }

  /** Finding the customers due a consent-status notice: a query of the notice index, then each profile read and written. */
  public grantConsentNotices(fn: LambdaFunction): void {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${this.table.tableArn}/index/${NOTICE_INDEX.name}`] }));
    this.grant(fn, ['dynamodb:GetItem', 'dynamodb:PutItem']);
  }

  /** Lets a function make these DynamoDB calls on the table itself (not its index), and tells it the table's name. */
  public grant(fn: LambdaFunction, actions: readonly string[]): void {
    fn.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [this.table.tableArn] }));
    fn.addEnvironment(EnvVars.ProfileTable, this.table.tableName);
  }

  /**
   * Lets a function make these calls only on items whose partition key starts with one of the
   * prefixes (`SEGMENT#`, `PRODUCT`): a function that keeps its own items cannot touch profiles.
   */
  public grantOnItems(fn: LambdaFunction, actions: readonly string[], keyPrefixes: readonly string[]): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keyPrefixes.map((prefix) => `${prefix}*`) } },
      }),
    );
    fn.addEnvironment(EnvVars.ProfileTable, this.table.tableName);
  }

  /**
   * Reading profiles in bulk, as segments, the daily scoring and launches do: a query or a
   * parallel scan of the stage index (keys only), then BatchGetItem of the profiles.
   */
  public grantProfileReads(fn: LambdaFunction): void {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query', 'dynamodb:Scan'], resources: [`${this.table.tableArn}/index/${STAGE_INDEX.name}`] }));
    this.grant(fn, ['dynamodb:BatchGetItem']);
  }

  /** What recording events needs: read, conditional put, query, batch copy (merges). */
  public grantRecord(fn: LambdaFunction): void {
    this.grant(fn, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem']);
  }
}
