/**
 * The little the console does in the browser; every page works without it. A form marked
 * `data-once` cannot be sent twice (a double click on Launch), and a CSV file chosen for a launch
 * is read into the customer-id box, so the form sends text; a launch page follows the launch's progress.
 */
document.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  if (!form.matches('[data-once]')) return;
  if (form.dataset.sent === 'yes') {
    event.preventDefault();
    return;
  }
  form.dataset.sent = 'yes';
  // After the form's data is taken: a button disabled before then would drop out of it (and with it, which one was pressed).
  setTimeout(() => {
    for (const button of form.querySelectorAll('button')) button.disabled = true;
  }, 0);
});

document.addEventListener('change', (event) => {
  const input = event.target as HTMLInputElement;
  const into = input.dataset.readInto;
  if (input.type !== 'file' || !into || !input.files?.[0]) return;
  const box = document.getElementById(into) as HTMLTextAreaElement | null;
  void input.files[0].text().then((text) => {
    if (box) box.value = text;
  });
});

/** How often a running launch's progress is asked for. */
const PROGRESS_POLL_MS = 1000;

/** A launch page while the launch runs: the share done, from the little JSON the launch's progress item gives. */
async function followLaunch(section: HTMLElement, url: string): Promise<void> {
  const field = (name: string) => section.querySelector<HTMLElement>(`[data-field="${name}"]`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, PROGRESS_POLL_MS));
    // A failed ask (the console restarting) is asked again next time.
    const answer = await fetch(url, { headers: { accept: 'application/json' } }).catch(() => undefined);
    if (!answer?.ok) continue;
    const progress = (await answer.json()) as { considered: number; total?: number; percent?: number; done: boolean };
    const bar = section.querySelector('progress');
    if (bar && progress.percent !== undefined) bar.value = progress.percent;
    const percent = field('percent');
    if (percent && progress.percent !== undefined) percent.textContent = `${progress.percent}%`;
    const considered = field('progress-considered');
    if (considered) considered.textContent = String(progress.considered);
    // The page then shows the launch's report.
    if (progress.done) {
      location.reload();
      return;
    }
  }
}

const launching = document.querySelector<HTMLElement>('[data-progress-url]');
if (launching?.dataset.progressUrl) void followLaunch(launching, launching.dataset.progressUrl);
