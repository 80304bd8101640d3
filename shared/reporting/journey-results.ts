/**
 * Journey results from the journey metrics: conversion overall and for treatment against holdout,
 * the lift the messages made, and emails summed over the journey's steps.
 */
import type { JourneyStats } from '#shared/journeys/metrics.ts';
import type { EmailCounts, GroupResult, JourneyResult, JourneySummary } from './report.ts';
import { ratio } from './statistics.ts';

export function journeySummaryOf(stats: readonly JourneyStats[]): JourneySummary {
  const results = stats.map(journeyResultOf);
  const entered = sum(results.map((result) => result.entered));
  const converted = sum(results.map((result) => result.converted));
  return {
    results,
    totals: { entered, converted, conversionRate: ratio(converted, entered), emails: addEmails(results.map((result) => result.emails)) },
  };
}

export function journeyResultOf(stats: JourneyStats): JourneyResult {
  // Without a holdout step every run is treated: there is no group to compare with.
  const treatment = stats.measuresLift ? groupOf(stats.treatment) : null;
  const holdout = stats.measuresLift ? groupOf(stats.holdout) : null;
  return {
    journey: stats.journey,
    version: stats.version,
    entered: stats.entered,
    active: stats.active,
    converted: stats.converted,
    conversionRate: ratio(stats.converted, stats.entered),
    treatment,
    holdout,
    lift: treatment?.rate != null && holdout?.rate ? (treatment.rate - holdout.rate) / holdout.rate : null,
    emails: addEmails(Object.values(stats.messages).map((step) => emailCounts(step.sent, step.delivered, step.opened, step.clicked))),
  };
}

function groupOf(group: JourneyStats['treatment']): GroupResult {
  return { entered: group.entered, converted: group.converted, rate: ratio(group.converted, group.entered) };
}

function addEmails(counts: readonly EmailCounts[]): EmailCounts {
  return emailCounts(
    sum(counts.map((each) => each.sent)),
    sum(counts.map((each) => each.delivered)),
    sum(counts.map((each) => each.opened)),
    sum(counts.map((each) => each.clicked)),
  );
}

function emailCounts(sent: number, delivered: number, opened: number, clicked: number): EmailCounts {
  return { sent, delivered, opened, clicked, openRate: ratio(opened, sent), clickRate: ratio(clicked, sent) };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
