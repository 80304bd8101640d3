/**
 * Reads the DynamoDB tables a CloudFormation template declares and turns each into the
 * CreateTable call that brings it up in the local store: keys, attribute types and indexes come
 * from the template, so nothing about a table is configured twice.
 */
import type { CreateTableCommandInput, KeySchemaElement, Projection } from '@aws-sdk/client-dynamodb';

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface Template {
  readonly Resources: Record<string, TemplateResource>;
}

interface TableProperties {
  readonly TableName?: unknown;
  readonly KeySchema: KeySchemaElement[];
  readonly AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  readonly GlobalSecondaryIndexes?: { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection }[];
  readonly LocalSecondaryIndexes?: { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection }[];
}

export interface LocalTable {
  readonly logicalId: string;
  readonly input: CreateTableCommandInput;
}

/** The tables of a template; a table without a literal name is named after its logical id. */
export function tablesOf(template: Template): LocalTable[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::Table')
    .map(([logicalId, resource]) => {
      const properties = resource.Properties as unknown as TableProperties;
      const tableName = typeof properties.TableName === 'string' ? properties.TableName : logicalId;
      const input: CreateTableCommandInput = {
        TableName: tableName,
        KeySchema: properties.KeySchema,
        AttributeDefinitions: properties.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        ...(properties.GlobalSecondaryIndexes && {
          GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })),
        }),
        ...(properties.LocalSecondaryIndexes && {
          LocalSecondaryIndexes: properties.LocalSecondaryIndexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })),
        }),
      };
      return { logicalId, input };
    });
}
