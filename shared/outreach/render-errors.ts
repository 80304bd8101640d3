/**
 * Turns whatever a render threw into a reason for logs and events. Reasons must never carry
 * personal data, and a Liquid error's message can: it repeats the message of what failed inside a
 * filter (an Intl RangeError quotes the bad value, for instance). So a message is kept only when
 * its origin is known to mention template source and names alone.
 */
import { resolve, sep } from 'node:path';
import { AssertionError, LiquidError } from 'liquidjs';
import { FilterInputError } from './render-filters.ts';

/** Errors about the template's source (syntax, unknown filters, layouts that do not parse). */
const SOURCE_ERRORS = new Set(['ParseError', 'TokenizationError']);

/** Liquid's strict-variable error; not exported by liquidjs, so known by name. It names the variable, never its value. */
const UNDEFINED_VARIABLE = 'InternalUndefinedVariableError';

export function describeError(error: unknown, templatesDir: string): string {
  if (error instanceof LiquidError) return withoutFolder(describeLiquidError(error), templatesDir);
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `${error.name}${typeof code === 'string' ? ` (${code})` : ''}`;
  }
  return 'failed with a value that is not an Error';
}

function describeLiquidError(error: LiquidError): string {
  if (hasSafeMessage(error)) return error.message;
  const [line, col] = error.token.getPosition();
  const cause = rootCause(error);
  return `${cause?.name ?? 'Error'} in a filter or tag (details withheld), line:${line}, col:${col}`;
}

/** Walks the chain of wrapped Liquid errors (a block inside a layout wraps twice). */
function hasSafeMessage(error: LiquidError): boolean {
  let current: Error | undefined = error;
  while (current instanceof LiquidError) {
    if (SOURCE_ERRORS.has(current.name)) return true;
    current = current.originalError;
  }
  return current === undefined || current instanceof FilterInputError || current instanceof AssertionError || current.name === UNDEFINED_VARIABLE;
}

function rootCause(error: LiquidError): Error | undefined {
  let current: Error | undefined = error.originalError;
  while (current instanceof LiquidError) current = current.originalError;
  return current;
}

/** Liquid names files by absolute path; the path inside the templates folder is what helps. */
function withoutFolder(message: string, templatesDir: string): string {
  return message.split(`${resolve(templatesDir)}${sep}`).join('');
}
