import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import { DETAIL_TYPES } from '#shared/events/catalog.ts';
import { eventJsonSchema } from '#shared/events/json-schema.ts';

export interface EventSchemasProps {
  readonly registryName: string;
}

/**
 * Registers every catalog event's JSON Schema in an EventBridge schema registry, so that other
 * teams can browse the contract and generate code bindings from the console or CLI.
 */
export class EventSchemas extends Construct {
  public readonly registry: CfnRegistry;

  constructor(scope: Construct, id: string, props: EventSchemasProps) {
    super(scope, id);
    this.registry = new CfnRegistry(this, 'Registry', {
      registryName: props.registryName,
      description: 'The customer-lifecycle event catalog',
    });
    for (const detailType of DETAIL_TYPES) {
      const schema = new CfnSchema(this, `Schema-${detailType}`, {
        registryName: this.registry.attrRegistryName,
        schemaName: detailType,
        type: 'JSONSchemaDraft4',
        content: JSON.stringify(eventJsonSchema(detailType)),
        description: `Detail-type ${detailType}`,
      });
      schema.node.addDependency(this.registry);
    }
  }
}
