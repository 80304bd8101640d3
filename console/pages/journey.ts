/**
 * `/journeys/<name>`: the journey drawn from its file with the runs that reached each step and each send step's counts, runs by outcome,
 * holdout versus treatment with the lift and its interval, the versions deployed, and the file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '#infra/paths.ts';
import type { JourneyStats, StepMessages } from '#shared/journeys/metrics.ts';
import { REPOSITORY_JOURNEYS_DIR } from '#shared/journeys/load-journeys.ts';
import { formatReasons } from '#shared/reporting/format.ts';
import { liftInterval } from '#shared/reporting/statistics.ts';
import { graphSvg } from '../graph/graph-svg.ts';
import { journeyGraph } from '../graph/journey-graph.ts';
import { html, table } from '../html.ts';
import type { Translate } from '../i18n.ts';
import { page, type Page, type PageContext, type PageResult } from '../page.ts';
import { findJourney, triggerText, versionStats } from './journey-facts.ts';

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** Each send step's counts summed over the versions deployed (a step keeps its id across versions). */
function messagesByStep(stats: readonly JourneyStats[]): Map<string, StepMessages> {
  const sums = new Map<string, { sent: number; delivered: number; opened: number; clicked: number; deferred: number; skipped: Record<string, number> }>();
  for (const each of stats) {
    for (const [step, counts] of Object.entries(each.messages)) {
      const sum = sums.get(step) ?? { sent: 0, delivered: 0, opened: 0, clicked: 0, deferred: 0, skipped: {} };
      for (const key of ['sent', 'delivered', 'opened', 'clicked', 'deferred'] as const) sum[key] += counts[key];
      for (const [reason, count] of Object.entries(counts.skipped)) sum.skipped[reason] = (sum.skipped[reason] ?? 0) + (count ?? 0);
      sums.set(step, sum);
    }
  }
  return sums;
}

function stepLines(stats: readonly JourneyStats[], graph: ReturnType<typeof journeyGraph>, t: Translate): Map<string, string[]> {
  const messages = messagesByStep(stats);
  const entered = stats.reduce((sum, each) => sum + each.entered, 0);
  const converted = stats.reduce((sum, each) => sum + each.converted, 0);
  const reached = (step: string) => stats.reduce((sum, each) => sum + (each.reached[step] ?? 0), 0);
  return new Map(
    graph.nodes.map((node) => {
      const lines = node.detail ? [node.detail] : [];
      if (node.kind === 'start') lines.push(`${t('journey.entered')} ${entered}`);
      if (node.kind === 'end') lines.push(`${t('journey.converted')} ${converted}`);
      else if (node.kind !== 'start') lines.push(`${t('journey.entered')} ${reached(node.id)}`);
      const counts = messages.get(node.id);
      if (node.kind === 'send') {
        lines.push(`${t('node.sent')} ${counts?.sent ?? 0} · ${t('node.delivered')} ${counts?.delivered ?? 0}`);
        lines.push(`${t('node.opened')} ${counts?.opened ?? 0} · ${t('node.clicked')} ${counts?.clicked ?? 0}`);
        if (Object.values(counts?.skipped ?? {}).some(Boolean)) lines.push(`${t('node.skipped')}: ${formatReasons(counts?.skipped ?? {})}`);
      }
      return [node.id, lines];
    }),
  );
}

function journeyFile(name: string): string | undefined {
  // The deployed console has the journeys compiled in, not their folder: no file to show there.
  if (!existsSync(REPOSITORY_JOURNEYS_DIR)) return undefined;
  const file = readdirSync(REPOSITORY_JOURNEYS_DIR).find((each) => each.replace(/\.(ya?ml|json|ts)$/, '') === name);
  return file && join(REPOSITORY_JOURNEYS_DIR, file);
}

function holdoutSection(live: JourneyStats, t: Translate) {
  if (!live.measuresLift) return html`<p>${t('journey.noHoldout')}</p>`;
  const interval = liftInterval(live.treatment, live.holdout);
  return html`
    ${table(
      [t('journey.group'), t('journey.entered'), t('journey.converted'), t('journey.conversion')],
      [
        [t('journey.treatment'), live.treatment.entered, live.treatment.converted, percent(live.treatment.rate)],
        [t('journey.holdoutGroup'), live.holdout.entered, live.holdout.converted, percent(live.holdout.rate)],
      ],
    )}
    <p>
      ${t('journey.lift')}: <strong data-field="lift">${live.lift === undefined ? t('journey.liftUnknown') : percent(live.lift)}</strong>
      ${interval ? ` (${t('journey.interval')} ${percent(interval.low)} … ${percent(interval.high)})` : null}
    </p>
  `;
}

export const journeyPage: Page = async (context: PageContext): Promise<PageResult> => {
  const { t } = context;
  const [name = ''] = context.params;
  const journey = findJourney(context, name);
  if (!journey) return page('404', html`<p>${name}</p>`, { status: 404 });
  const stats = await versionStats(context, name);
  const live = stats[0] as JourneyStats;
  const graph = journeyGraph(journey, triggerText(journey, t));
  const file = journeyFile(name);
  const outcomes = ['entered', 'active', 'completed', 'converted', 'left', 'failed'] as const;
  return page(
    journey.name,
    html`
      <p>${journey.description}</p>
      <p class="actions">
        <a class="button" href=${`/journeys/${name}/launch`}>${t('journey.launch')}</a>
        ${file ? html`<a href=${`/journeys/${name}/file`}>${t('journey.file')}: <code>${relative(REPO_ROOT, file)}</code></a>` : null}
      </p>
      <h2>${t('journey.totals')}</h2>
      ${table(
        ['v', ...outcomes.map((outcome) => t(`journey.${outcome}`))],
        stats.map((each) => [
          `v${each.version}`,
          ...outcomes.map((outcome) => html`<span data-count=${`${outcome}-v${each.version}`}>${each[outcome]}</span>`),
        ]),
      )}
      <h2>${t('journey.graph')}</h2>
      <p class="note">${t('journey.graphNote')}</p>
      <div class="graph-scroll" tabindex="0" role="region" aria-label=${t('journey.graph')}>${graphSvg(graph, stepLines(stats, graph, t), journey.name)}</div>
      <h2>${t('journey.holdout')}</h2>
      ${holdoutSection(live, t)}
      <h2>${t('journey.notEntered')}</h2>
      <p>${Object.values(live.notEntered).some(Boolean) ? formatReasons(live.notEntered) : t('journey.none')}</p>
      <h2>${t('journey.versions')}</h2>
      <ul>${stats.map((each, index) => html`<li>v${each.version}${index === 0 ? ' (live)' : ''}: ${t('journey.active')} ${each.active}</li>`)}</ul>
    `,
  );
};

/** `/journeys/<name>/file`: the journey's file as it is in the repository. */
export const journeyFilePage: Page = async (context) => {
  const [name = ''] = context.params;
  const file = findJourney(context, name) && journeyFile(name);
  if (!file) return page('404', html`<p>${name}</p>`, { status: 404 });
  return page(relative(REPO_ROOT, file), html`<pre class="source">${readFileSync(file, 'utf8')}</pre>`);
};
