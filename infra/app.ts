#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readConfig } from './config.ts';
import { LifecycleStack } from './lifecycle-stack.ts';

const app = new App();
const config = readConfig(app.node);
new LifecycleStack(app, `Lifecycle-${config.environment}`, {
  config,
  description: 'Customer-lifecycle automation: events, stage workflows, profiles and email',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
