/**
 * Where SES publishes email events, as the template declares it: each
 * AWS::SES::ConfigurationSetEventDestination with an EventBridge destination. Other destination
 * kinds (SNS, CloudWatch, Firehose) are not run locally and are left out.
 */

/** What the template declares: AWS::SES::ConfigurationSet (Name) and AWS::SES::ConfigurationSetEventDestination (ConfigurationSetName, EventDestination { Enabled, MatchingEventTypes: ['SEND','DELIVERY','BOUNCE','COMPLAINT','OPEN','CLICK','RENDERING_FAILURE','DELIVERY_DELAY', …], EventBridgeDestination { EventBusArn } }). */
export interface SesEventDestination {
  readonly configurationSetName: string;
  /** SES v2 names (`RENDERING_FAILURE`); the v1 names CDK writes (`renderingFailure`) are read too. */
  readonly matchingEventTypes: readonly string[];
  readonly eventBusArn: string;
  readonly enabled: boolean;
}

/** `renderingFailure` and `RENDERING_FAILURE` name the same event type. */
export const normalizeEventType = (type: string): string => type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

const object = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** Reads the SES resources of a template (already resolved to plain values: properties objects) into destinations. */
export function sesDestinationsFrom(resources: readonly { Type: string; Properties: Record<string, unknown> }[]): SesEventDestination[] {
  return resources
    .filter((resource) => resource.Type === 'AWS::SES::ConfigurationSetEventDestination')
    .flatMap(({ Properties: props }) => {
      const destination = object(props.EventDestination);
      const eventBusArn = object(destination?.EventBridgeDestination)?.EventBusArn;
      if (!destination || typeof eventBusArn !== 'string' || typeof props.ConfigurationSetName !== 'string') return [];
      const types = Array.isArray(destination.MatchingEventTypes)
        ? destination.MatchingEventTypes.filter((type): type is string => typeof type === 'string')
        : [];
      return [
        {
          configurationSetName: props.ConfigurationSetName,
          matchingEventTypes: types.map(normalizeEventType),
          eventBusArn,
          // SES's default is disabled; CDK always writes the property (true unless told otherwise).
          enabled: destination.Enabled === true || destination.Enabled === 'true',
        },
      ];
    });
}
