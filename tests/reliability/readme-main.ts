/** `npm run reliability:readme`: rewrites the README's Reliability figures from tests/reliability/results/latest.json. */
import { REPO_ROOT } from '#infra/paths.ts';
import { writeReadmeFigures } from './support/readme-figures.ts';

writeReadmeFigures(REPO_ROOT);
console.log('README.md: Reliability figures rewritten from tests/reliability/results/latest.json');
