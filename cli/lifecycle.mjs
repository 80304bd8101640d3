#!/usr/bin/env node
// The `lifecycle` command (npx lifecycle …): runs the TypeScript CLI through tsx, which the
// project installs, so there is no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every run that Node 20 support ends in 2027; the README says which Node to use.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('./main.ts');
