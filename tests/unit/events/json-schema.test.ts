import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { writeSchemas } from '#cli/schemas.ts';
import { DETAIL_TYPES } from '#shared/events/catalog.ts';
import { eventJsonSchema } from '#shared/events/json-schema.ts';
import { fixture } from '#tests/fixtures/events.ts';

// Both packages are CommonJS: under ESM their constructor is the `default` export.
const ajv = new ajvDraft04.default({ strict: false, allErrors: true });
ajvFormats.default(ajv);

describe('JSON Schema export', () => {
  it.each(DETAIL_TYPES)('describes %s so that its fixture validates', (detailType) => {
    const validate = ajv.compile(eventJsonSchema(detailType));
    expect(validate(fixture(detailType)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects what the catalog rejects: a missing field, a wrong type, a wrong detail-type', () => {
    const validate = ajv.compile(eventJsonSchema('order.placed'));
    const valid = fixture('order.placed');
    const { orderId: _dropped, ...withoutOrderId } = valid.detail.data;
    expect(validate({ ...valid, detail: { ...valid.detail, data: withoutOrderId } })).toBe(false);
    expect(validate({ ...valid, detail: { ...valid.detail, data: { ...valid.detail.data, total: '179' } } })).toBe(false);
    expect(validate({ ...valid, 'detail-type': 'order.shipped' })).toBe(false);
  });

  it('pins system events to the lifecycle source', () => {
    const validate = ajv.compile(eventJsonSchema('email.bounced'));
    expect(validate({ ...fixture('email.bounced'), source: 'com.example.shop' })).toBe(false);
  });

  it('writes one file per event type, and the committed files are up to date', () => {
    const out = mkdtempSync(join(tmpdir(), 'schemas-'));
    const paths = writeSchemas(out);
    expect(paths).toHaveLength(DETAIL_TYPES.length);
    for (const detailType of DETAIL_TYPES) {
      const fresh = readFileSync(join(out, `${detailType}.json`), 'utf8');
      const committed = readFileSync(new URL(`../../../shared/events/json-schema/${detailType}.json`, import.meta.url), 'utf8');
      expect(committed, `shared/events/json-schema/${detailType}.json is stale: run npm run schemas`).toBe(fresh);
    }
  });
});
