#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadDefinitions } from './definitions.ts';
import { addLifecycleStack } from './lifecycle-app.ts';

const app = new App();
addLifecycleStack(app, await loadDefinitions());
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
