/**
 * `/segments` and `/segments/<name>`: each segment's definition, its members now (evaluated as
 * `lifecycle segment show` evaluates it), the last scheduled evaluation, and every member as CSV.
 */
import { describe } from '#shared/conditions/condition.ts';
import type { Profile } from '#shared/profile/profile.ts';
import { planSegment, segmentMembers, type Segment } from '#shared/segments/index.ts';
import { lineChart } from '#shared/reporting/svg-line-chart.ts';
import { readSnapshot, readSnapshotHistory } from '#shared/segments/snapshot.ts';
import { html, table } from '../html.ts';
import { page, type Page, type PageContext } from '../page.ts';

const SAMPLE = 50;
const csvCell = (value: string): string => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

async function members(context: PageContext, segment: Segment): Promise<Profile[]> {
  const deps = { ...context.store, now: context.target.now, consentMode: context.target.consentMode };
  const found: Profile[] = [];
  for await (const profile of segmentMembers(deps, segment)) found.push(profile);
  return found;
}

/** The member count of each day's scheduled evaluation, drawn by the report's line chart (its own, escaped markup). */
function membersOverTime(context: PageContext, name: string, history: readonly { day: string; members: number }[]) {
  const { t } = context;
  const chart = lineChart({
    id: `members-${name}`,
    title: t('segment.overTime'),
    description: history.map((point) => `${point.day} ${point.members}`).join(', '),
    periods: history.map((point) => point.day),
    series: [{ name: t('col.members'), values: history.map((point) => point.members) }],
    range: [0, Math.max(1, ...history.map((point) => point.members))],
    periodAxisLabel: t('col.when'),
    valueAxisLabel: t('col.members'),
    format: (value) => String(Math.round(value)),
  });
  return html`<div class="chart" data-points=${history.length} dangerouslySetInnerHTML=${{ __html: chart.text }}></div>`;
}

export const segmentsPage: Page = async (context) => {
  const { t } = context;
  const snapshots = await Promise.all(context.definitions.segments.map((segment) => readSnapshot(context.store, segment.name)));
  return page(
    t('segments.title'),
    table(
      [t('col.name'), t('col.description'), t('segments.schedule'), t('segments.lastEvaluated')],
      context.definitions.segments.map((segment, index) => {
        const snapshot = snapshots[index];
        return [
          html`<a href=${`/segments/${segment.name}`}>${segment.name}</a>`,
          segment.description ?? '',
          segment.schedule ?? '—',
          snapshot ? `${snapshot.members} (${snapshot.evaluatedAt})` : '—',
        ];
      }),
    ),
  );
};

export const segmentPage: Page = async (context) => {
  const { t } = context;
  const segment = context.definitions.segments.find((each) => each.name === context.params[0]);
  if (!segment) return page('404', html`<p>${context.params[0]}</p>`, { status: 404 });
  const [found, snapshot, history] = await Promise.all([
    members(context, segment),
    readSnapshot(context.store, segment.name),
    readSnapshotHistory(context.store, segment.name),
  ]);
  const plan = planSegment(segment);
  return page(
    segment.name,
    html`
      <p>${segment.description}</p>
      <h2>${t('segment.conditions')}</h2>
      <p><code>${describe(segment.conditions)}</code></p>
      <p class="note">${plan.kind === 'stage-index' ? `stage index: ${plan.stages.join(', ')}` : 'parallel scan'}</p>
      <p class="headline">${t('segment.membersNow')}: <strong data-field="members">${found.length}</strong></p>
      ${snapshot ? html`<p>${t('segments.lastEvaluated')}: ${snapshot.members} (${snapshot.evaluatedAt})</p>` : null}
      ${history.length > 0 ? membersOverTime(context, segment.name, history) : null}
      <p><a class="button" href=${`/segments/${segment.name}/members.csv`} download>${t('segment.export')}</a></p>
      ${table(
        [t('launch.customer'), t('col.stage'), t('col.lastActive')],
        found
          .slice(0, SAMPLE)
          .map((member) => [
            html`<a href=${`/customers/${encodeURIComponent(member.customerId)}`}>${member.customerId}</a>`,
            member.stage,
            member.lastActivityAt,
          ]),
        t('segment.sample'),
      )}
    `,
  );
};

export const segmentExport: Page = async (context) => {
  const segment = context.definitions.segments.find((each) => each.name === context.params[0]);
  if (!segment) return page('404', html`<p>${context.params[0]}</p>`, { status: 404 });
  const rows = (await members(context, segment)).map((member) => [member.customerId, member.stage, member.lastActivityAt].map(csvCell).join(','));
  return {
    kind: 'download',
    type: 'text/csv; charset=utf-8',
    filename: `${segment.name}.csv`,
    body: `customerId,stage,lastActivityAt\n${rows.map((row) => `${row}\n`).join('')}`,
  };
};
