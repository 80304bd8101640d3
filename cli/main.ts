#!/usr/bin/env -S npx tsx
/** The `lifecycle` command line. */
import { Command } from 'commander';
import { customerCommand } from './customer.ts';
import { dlqCommand } from './dlq.ts';
import { emitCommand } from './emit.ts';
import { importCommand } from './import.ts';
import { journeyCommand } from './journey.ts';
import { localCommand } from './local.ts';
import { exitQuietlyWhenOutputCloses } from './output.ts';
import { profileCommand } from './profile.ts';
import { reportCommand } from './report.ts';
import { schemasCommand } from './schemas.ts';
import { segmentCommand } from './segment.ts';
import { suppressionCommand } from './suppression.ts';

exitQuietlyWhenOutputCloses();

const program = new Command('lifecycle')
  .description('Operate the customer-lifecycle system: events, profiles, journeys and the local cloud')
  .showHelpAfterError();

program
  .addCommand(emitCommand())
  .addCommand(profileCommand())
  .addCommand(customerCommand())
  .addCommand(journeyCommand())
  .addCommand(segmentCommand())
  .addCommand(reportCommand())
  .addCommand(dlqCommand())
  .addCommand(importCommand())
  .addCommand(suppressionCommand())
  .addCommand(localCommand())
  .addCommand(schemasCommand());

await program.parseAsync(process.argv);
