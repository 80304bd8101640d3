/**
 * The catalog as JSON Schema (draft-04, which the EventBridge schema registry accepts), for other
 * teams' code generation and for the registry. Schemas describe what a producer may send, so
 * optional fields stay optional even where the system fills a default.
 */
import * as z from 'zod';
import { LIFECYCLE_SOURCE, catalog, ownerOf, versionsOf, type DetailType } from './catalog.ts';
import { SOURCE_PATTERN } from './parse.ts';

type JsonSchema = Record<string, unknown>;

/** The schema of an event type's `Detail`, any of its versions. */
export function detailJsonSchema(detailType: DetailType): JsonSchema {
  const versions: Readonly<Record<number, z.ZodType>> = catalog[detailType].versions;
  const schemas = versionsOf(detailType).map((version) => versions[version] as z.ZodType);
  const [only] = schemas;
  const schema = schemas.length === 1 && only ? only : z.union(schemas);
  const { $schema: _drop, ...body } = z.toJSONSchema(schema, { target: 'draft-04', io: 'input', unrepresentable: 'any' });
  return body;
}

/** The whole EventBridge event, as the schema registry describes events. */
export function eventJsonSchema(detailType: DetailType): JsonSchema {
  const system = ownerOf(detailType) === 'system';
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: detailType,
    description: `The ${detailType} event (${system ? `emitted by the system, Source ${LIFECYCLE_SOURCE}` : `handled by ${ownerOf(detailType)}`}).`,
    type: 'object',
    required: ['detail-type', 'source', 'detail'],
    properties: {
      'detail-type': { type: 'string', enum: [detailType] },
      source: system ? { type: 'string', enum: [LIFECYCLE_SOURCE] } : { type: 'string', pattern: SOURCE_PATTERN.source },
      detail: detailJsonSchema(detailType),
    },
  };
}
