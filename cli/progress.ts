/** Progress bars for the commands that work through many items (dead letters, imports). */
import { SingleBar } from 'cli-progress';

export interface ProgressBar {
  update(done: number): void;
  stop(): void;
}

/** A progress bar on a terminal, for runs long enough to need one; nothing when piped or for --json. */
export function progressBar(total: number, json: boolean | undefined, label: string, unit: string): ProgressBar {
  if (json || !process.stderr.isTTY || total < 50) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} ${unit}` });
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}
