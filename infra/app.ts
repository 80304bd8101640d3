#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadDefinitions } from './definitions.ts';
import { addLifecycleStack } from './lifecycle-app.ts';
import { withoutBundlingProgress } from './quiet-bundling.ts';

const app = new App();
const definitions = await loadDefinitions();
withoutBundlingProgress(() => addLifecycleStack(app, definitions));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
