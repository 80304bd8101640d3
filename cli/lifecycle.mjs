#!/usr/bin/env node
// The `lifecycle` command (npx lifecycle …): runs the TypeScript CLI through tsx, which the
// project installs, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
