/** `npm run bench:readme`: rewrites the README's figures from bench/results/latest.json. */
import { REPO_ROOT } from '#infra/paths.ts';
import { writeReadmeFigures } from './readme.ts';

writeReadmeFigures(REPO_ROOT);
console.log('README.md: figures rewritten from bench/results/latest.json');
