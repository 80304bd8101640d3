/** What the journey pages say about a journey: its trigger in words, and the versions deployed with their counts. */
import type { Definitions } from '#infra/definitions.ts';
import { measuresLift, triggerEvents, type JourneyDefinition } from '#shared/journeys/definition.ts';
import { readStats, type JourneyStats } from '#shared/journeys/metrics.ts';
import type { Translate } from '../i18n.ts';
import type { PageContext } from '../page.ts';

export function triggerText(journey: JourneyDefinition, t: Translate): string {
  const { trigger } = journey;
  if ('event' in trigger) return `${t('trigger.event')} ${triggerEvents(trigger).join(', ')}`;
  if ('segment' in trigger) return `${t('trigger.segment')} ${trigger.segment}${trigger.schedule ? ` (${trigger.schedule})` : ''}`;
  return t('trigger.manual');
}

/** The live version first, then the older versions kept for participants still on them. */
export function deployedVersions(definitions: Definitions, name: string): JourneyDefinition[] {
  const live = definitions.journeys.filter((journey) => journey.name === name);
  const kept = definitions.versions.filter((journey) => journey.name === name && !live.some((each) => each.version === journey.version));
  return [...live, ...kept.sort((a, b) => b.version - a.version)];
}

export async function versionStats(context: PageContext, name: string): Promise<JourneyStats[]> {
  return Promise.all(deployedVersions(context.definitions, name).map((journey) => readStats(context.store, name, journey.version, measuresLift(journey))));
}

export function findJourney(context: PageContext, name: string): JourneyDefinition | undefined {
  return context.definitions.journeys.find((journey) => journey.name === name);
}
