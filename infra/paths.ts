import { fileURLToPath } from 'node:url';

/** The repository root: NodejsFunction bundles from here, with its lock file. */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

export const functionEntry = (handler: string): string => fileURLToPath(new URL(`../functions/${handler}.ts`, import.meta.url));
