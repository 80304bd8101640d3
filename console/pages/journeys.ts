/** `/journeys`: every journey with its trigger, live version, who waits in it now, and who entered and converted lately. */
import { recentActivity } from '#shared/journeys/recent-activity.ts';
import { html, table } from '../html.ts';
import { page, type Page } from '../page.ts';
import { triggerText, versionStats } from './journey-facts.ts';

const WINDOWS = [7, 30] as const;

export const journeysPage: Page = async (context) => {
  const { t, definitions } = context;
  const [activity, stats] = await Promise.all([
    recentActivity(context.store, new Date(context.target.now()), WINDOWS),
    Promise.all(definitions.journeys.map((journey) => versionStats(context, journey.name))),
  ]);
  const rows = definitions.journeys.map((journey, index) => {
    const recent = activity[journey.name];
    const waiting = (stats[index] ?? []).reduce((sum, each) => sum + each.active, 0);
    return [
      html`<a href=${`/journeys/${journey.name}`}>${journey.name}</a>`,
      triggerText(journey, t),
      `v${journey.version}`,
      html`<span data-cell="waiting">${waiting}</span>`,
      recent?.[7]?.entered ?? 0,
      recent?.[7]?.converted ?? 0,
      recent?.[30]?.entered ?? 0,
      recent?.[30]?.converted ?? 0,
    ];
  });
  const headers = [
    'journeys.title',
    'journeys.trigger',
    'journeys.version',
    'journeys.waiting',
    'journeys.entered7',
    'journeys.converted7',
    'journeys.entered30',
    'journeys.converted30',
  ] as const;
  return page(
    t('journeys.title'),
    html`${table(headers.map(t), rows)}
      <p class="note">${t('journeys.windowNote')}</p>`,
  );
};
