/**
 * The project's import rules, checked by `npm run deps` (part of `npm test`).
 *
 * Folder-level cycles inside shared/ (profile ↔ stages, profile ↔ scoring, journeys ↔ outreach…)
 * predate the rules: they are reported as warnings until the stage modules replace them (this
 * version of the tool cannot keep a baseline of folder-level findings). Everywhere else a folder
 * cycle fails, as does every file-level cycle.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A file that imports itself through others cannot be read, tested or bundled on its own.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Two folders that import each other are one module in two places.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(functions|workflows|infra|cli|console|local|bench)/' },
      to: { circular: true },
    },
    {
      name: 'shared-folder-cycles',
      comment: 'As no-folder-cycles, for the folder cycles in shared/ that the stage modules are to remove.',
      severity: 'warn',
      scope: 'folder',
      from: { path: '^shared/' },
      to: { circular: true },
    },
    {
      name: 'lambda-code-loads-no-tooling',
      comment: 'What a Lambda bundles never imports the local cloud, the CLI, the console, the CDK app, the bench or tests.',
      severity: 'error',
      from: { path: '^(shared|functions|workflows)/', pathNot: '^functions/console' },
      to: { path: '^(local|cli|bench|tests|infra|console)/' },
    },
    {
      name: 'console-functions-load-the-console',
      comment:
        'The deployed console runs the console pages and the same API clients as the CLI (one code path for both), with the definitions type: never the local cloud, the bench, tests or the rest of the CDK app.',
      severity: 'error',
      from: { path: '^functions/console' },
      to: { path: '^(local|bench|tests|infra)/', pathNot: '^infra/definitions[.]ts$' },
    },
    {
      name: 'handlers-depend-on-modules',
      comment: 'functions/ holds thin handlers over the modules in shared/: never the other way round.',
      severity: 'error',
      from: { pathNot: '^(functions|tests|bench)/' },
      to: { path: '^functions/' },
    },
    {
      name: 'local-cloud-knows-no-product',
      comment: 'The local cloud runs any synthesized template: it learns the product from the template, never from its code.',
      severity: 'error',
      from: { path: '^local/' },
      to: { path: '^(shared|functions|workflows|infra|cli|console|bench)/' },
    },
    {
      name: 'nothing-imports-tests',
      severity: 'error',
      from: { pathNot: '^tests/' },
      to: { path: '^tests/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a cycle of types is still two files that cannot be read apart.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // The `#shared/*`-style aliases are package.json subpath imports.
    enhancedResolveOptions: { conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.mts', '.js', '.mjs', '.json'] },
  },
};
