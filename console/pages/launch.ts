/**
 * `/journeys/<name>/launch`: choose a segment or customers from a CSV, see a dry run (how many would
 * enter, a sample of who, the messages each would get), then launch and follow its progress. Both go
 * through cli/launch-api.ts, as `lifecycle journey launch` does; the launch id is the idempotency key.
 */
import { customerIdsFromCsv, launch, newLaunchId, type LaunchOrder } from '#cli/launch-api.ts';
import { measuresLift, type JourneyDefinition } from '#shared/journeys/definition.ts';
import type { LaunchReport } from '#shared/journeys/launch.ts';
import { readLaunchProgress } from '#shared/journeys/launch-progress.ts';
import { readStats } from '#shared/journeys/metrics.ts';
import { formatReasons } from '#shared/reporting/format.ts';
import { html, table } from '../html.ts';
import { page, type Page, type PageContext, type PageResult } from '../page.ts';
import { findJourney } from './journey-facts.ts';
import { progressSection } from './launch-progress.ts';

const SAMPLE = 20;
const LAUNCH_ID = /^[A-Za-z0-9_-]{1,40}$/;

interface FormValues {
  readonly audience: 'segment' | 'customers';
  readonly segment: string;
  readonly csv: string;
  readonly launchId: string;
  /** How many the dry run found in the segment it ran on: the launch's progress is a share of it. */
  readonly total?: { readonly segment: string; readonly count: number };
}

function defaults(context: PageContext, journey: JourneyDefinition): FormValues {
  const segment = 'segment' in journey.trigger ? journey.trigger.segment : (context.definitions.segments[0]?.name ?? '');
  return { audience: 'segment', segment, csv: '', launchId: newLaunchId(new Date(context.target.now())) };
}

function launchForm(context: PageContext, journey: JourneyDefinition, values: FormValues) {
  const { t } = context;
  return html`
    <form class="launch" method="post" action=${`/journeys/${journey.name}/launch`} data-once>
      <fieldset>
        <legend>${t('launch.audience')}</legend>
        <p>
          <input type="radio" id="audience-segment" name="audience" value="segment" checked=${values.audience === 'segment'} />
          <label for="audience-segment">${t('launch.segment')}</label>
          <select name="segment" aria-label=${t('launch.segment')}>
            ${context.definitions.segments.map((segment) => html`<option value=${segment.name} selected=${segment.name === values.segment}>${segment.name}</option>`)}
          </select>
        </p>
        <p>
          <input type="radio" id="audience-customers" name="audience" value="customers" checked=${values.audience === 'customers'} />
          <label for="audience-customers">${t('launch.customers')}</label>
        </p>
        <p>
          <label for="csv-file">${t('launch.csvFile')}</label>
          <input type="file" id="csv-file" accept=".csv,text/csv,text/plain" data-read-into="csv-text" />
        </p>
        <p>
          <label for="csv-text">${t('launch.csvText')}</label>
          <textarea id="csv-text" name="csv" rows="4">${values.csv}</textarea>
        </p>
      </fieldset>
      <p>
        <label for="launch-id">${t('launch.launchId')}</label>
        <input id="launch-id" name="launchId" required pattern="[A-Za-z0-9_-]{1,40}" value=${values.launchId} />
      </p>
      ${
        values.total === undefined
          ? null
          : html`<input type="hidden" name="totalSegment" value=${values.total.segment} /><input type="hidden" name="total" value=${String(values.total.count)} />`
      }
      <p class="actions">
        <button type="submit" name="action" value="dry-run">${t('launch.dryRun')}</button>
        <button type="submit" name="action" value="launch" class="primary">${t('launch.go')}</button>
      </p>
    </form>
  `;
}

function reportFigures(context: PageContext, report: LaunchReport) {
  const { t } = context;
  const reasons = Object.values(report.ineligibleBy).some(Boolean) ? ` (${formatReasons(report.ineligibleBy)})` : '';
  return html`<p class="figures">
    <span data-field="considered">${report.considered}</span> ${t('launch.considered')} ·
    <span data-field="ineligible">${report.ineligible}</span> ${t('launch.ineligible')}${reasons} ·
    <span data-field="already-started">${report.alreadyStarted}</span> ${t('launch.alreadyStarted')}
  </p>`;
}

export const launchFormPage: Page = async (context) => {
  const journey = findJourney(context, context.params[0] ?? '');
  if (!journey) return page('404', html`<p>${context.params[0]}</p>`, { status: 404 });
  return page(`${context.t('launch.title')}: ${journey.name}`, launchForm(context, journey, defaults(context, journey)));
};

export const launchPostPage: Page = async (context): Promise<PageResult> => {
  const { t, form } = context;
  const journey = findJourney(context, context.params[0] ?? '');
  if (!journey) return page('404', html`<p>${context.params[0]}</p>`, { status: 404 });
  const values: FormValues = {
    audience: form.get('audience') === 'customers' ? 'customers' : 'segment',
    segment: form.get('segment') ?? '',
    csv: form.get('csv') ?? '',
    launchId: (form.get('launchId') ?? '').trim(),
    ...(/^\d{1,9}$/.test(form.get('total') ?? '') && { total: { segment: form.get('totalSegment') ?? '', count: Number(form.get('total')) } }),
  };
  const title = `${t('launch.title')}: ${journey.name}`;
  const segment = context.definitions.segments.find((each) => each.name === values.segment);
  const customerIds = customerIdsFromCsv(values.csv);
  const audience = values.audience === 'segment' ? segment && { segment } : customerIds.length > 0 ? { customerIds } : undefined;
  const action = form.get('action');
  if (!audience || !LAUNCH_ID.test(values.launchId) || (action !== 'launch' && action !== 'dry-run')) {
    return page(title, html`<p class="error" role="alert">${t('launch.noAudience')}</p>${launchForm(context, journey, values)}`, { status: 400 });
  }
  const order: LaunchOrder = {
    journey,
    launchId: values.launchId,
    audience,
    dryRun: action === 'dry-run',
    // The dry run's count, if it was of this segment (another may have been chosen since).
    ...(values.total && 'segment' in audience && values.total.segment === values.segment && { total: values.total.count }),
  };
  if (!order.dryRun) {
    context.launches.start(order.launchId, journey.name, () => launch(context.target, order));
    return { kind: 'redirect', location: `/journeys/${journey.name}/launches/${order.launchId}` };
  }
  const report = await launch(context.target, order);
  const wouldEnter = report.wouldEnter ?? [];
  return page(
    title,
    html`
      <section class="dry-run" aria-live="polite">
        <h2>${t('launch.dryRunTitle')}</h2>
        <p class="headline"><strong data-field="would-enter">${wouldEnter.length}</strong> ${t('launch.wouldEnter')}</p>
        ${reportFigures(context, report)}
        ${table(
          [t('launch.customer'), t('launch.messages')],
          wouldEnter
            .slice(0, SAMPLE)
            .map((entry) => [
              html`<a href=${`/customers/${encodeURIComponent(entry.customerId)}`}>${entry.customerId}</a>`,
              entry.messages.map((message) => `${message.template}${message.note ? ` (${message.note})` : ''}`).join('; ') || '—',
            ]),
          t('launch.sample'),
        )}
      </section>
      ${launchForm(context, journey, { ...values, ...('segment' in audience && { total: { segment: values.segment, count: report.considered } }) })}
    `,
  );
};

function participantsNow(context: PageContext, name: string, active: number) {
  const { t } = context;
  return html`<p>${t('launch.participantsNow')}: <span data-field="participants">${active}</span></p>
    <p><a href=${`/journeys/${name}`}>${t('launch.back')}</a></p>`;
}

export const launchProgressPage: Page = async (context) => {
  const { t } = context;
  const [name = '', launchId = ''] = context.params;
  const journey = findJourney(context, name);
  const job = context.launches.get(launchId);
  if (!journey || (job && job.journey !== name)) return page('404', html`<p>${launchId}</p>`, { status: 404 });
  const [stats, progress] = await Promise.all([
    readStats(context.store, name, journey.version, measuresLift(journey)),
    readLaunchProgress(context.store, name, launchId),
  ]);
  // The deployed console runs in many short-lived instances: the one asked may not be the one that
  // launched, and then the launch's progress item and the journey's participants are what it can show.
  if (!job)
    return page(
      `${t('launch.title')}: ${name} · ${launchId}`,
      html`<p>${t('launch.elsewhere')}</p>${progressSection(context, name, launchId, progress, progress?.done === false)}${participantsNow(context, name, stats.active)}`,
    );
  const state = job.state === 'running' ? t('launch.running') : job.state === 'done' ? t('launch.done') : t('launch.failed');
  return page(
    `${t('launch.title')}: ${name} · ${launchId}`,
    html`
      <section aria-live="polite">
        <h2 data-state=${job.state}>${state}</h2>
        ${progressSection(context, name, launchId, progress, job.state === 'running')}
        ${job.report ? html`<p class="headline"><strong data-field="started">${job.report.started}</strong> ${t('launch.started')}</p>${reportFigures(context, job.report)}` : null}
        ${job.error ? html`<p class="error" role="alert">${job.error}</p>` : null}
        ${participantsNow(context, name, stats.active)}
      </section>
    `,
    job.state === 'running' ? { refresh: 1 } : {},
  );
};
