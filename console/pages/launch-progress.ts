/**
 * A launch's progress as the launch writes it to the store (shared/journeys/launch-progress.ts):
 * the share done on the launch page, and `/journeys/<name>/launches/<id>/progress`, the JSON the
 * page's script asks for while the launch runs. Any console instance can answer, not only the one
 * that started the launch.
 */
import { percentDone, readLaunchProgress, type LaunchProgressItem } from '#shared/journeys/launch-progress.ts';
import { html } from '../html.ts';
import type { Page, PageContext } from '../page.ts';

/**
 * The bar and the share, with the counts so far. While the launch runs (`follow`), the page's script
 * asks for the JSON each second, updates the marked fields in place, and reloads the page once done.
 */
export function progressSection(context: PageContext, journey: string, launchId: string, progress: LaunchProgressItem | undefined, follow: boolean) {
  const { t } = context;
  const percent = progress && percentDone(progress);
  const url = follow ? `/journeys/${journey}/launches/${launchId}/progress` : undefined;
  return html`<div class="launch-progress" data-progress-url=${url}>
    <p>
      <label for="launch-percent">${t('launch.progress')}</label>
      <progress id="launch-percent" max="100" value=${percent}></progress>
      <strong data-field="percent">${percent === undefined ? '…' : `${percent}%`}</strong>
    </p>
    <p class="figures">
      <span data-field="progress-considered">${progress?.considered ?? 0}</span>
      ${progress?.total === undefined ? null : html` ${t('launch.ofTotal')} <span data-field="total">${progress.total}</span>`}
      ${t('launch.considered')}
    </p>
  </div>`;
}

/** The progress as JSON, with the share done (`percent`, absent while the total is unknown); 404 before the launch wrote any. */
export const launchProgressJson: Page = async (context) => {
  const [journey = '', launchId = ''] = context.params;
  const progress = await readLaunchProgress(context.store, journey, launchId);
  if (!progress) return { kind: 'json', status: 404, body: { journey, launchId, message: 'no progress yet' } };
  return { kind: 'json', body: { ...progress, percent: percentDone(progress) } };
};
