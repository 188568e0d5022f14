// JSON Schema drafts 4, 6, 7, 2019-09 and 2020-12, each validated by its own rules.
import { DraftAwareAjv, draft4To7 } from '../../nodes/shared/schemaRegistry/jsonSchema';

const ajv = new DraftAwareAjv({ allErrors: true });

test('2020-12: prefixItems and $defs', () => {
  const validate = ajv.compile({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { $ref: '#/$defs/n' }], items: false } },
    $defs: { n: { type: 'integer' } },
  });
  expect(validate({ pair: ['a', 1] })).toBe(true);
  expect(validate({ pair: ['a', 'b'] })).toBe(false);
  expect(validate({ pair: ['a', 1, 2] })).toBe(false);
});

test('2019-09: dependentRequired', () => {
  const validate = ajv.compile({ $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'object', dependentRequired: { card: ['cvc'] } });
  expect(validate({ card: '1' })).toBe(false);
  expect(validate({ card: '1', cvc: '2' })).toBe(true);
});

test('draft-07 (and no $schema): if/then', () => {
  const validate = ajv.compile({ if: { properties: { kind: { const: 'a' } } }, then: { required: ['a'] } });
  expect(validate({ kind: 'a' })).toBe(false);
  expect(validate({ kind: 'b' })).toBe(true);
});

test('draft-06: const and exclusiveMaximum as a number', () => {
  const validate = ajv.compile({ $schema: 'http://json-schema.org/draft-06/schema#', properties: { v: { const: 1 }, n: { exclusiveMaximum: 5 } } });
  expect(validate({ v: 1, n: 4 })).toBe(true);
  expect(validate({ v: 2 })).toBe(false);
  expect(validate({ n: 5 })).toBe(false);
});

test('draft-04: boolean exclusiveMaximum and id', () => {
  const schema = { $schema: 'http://json-schema.org/draft-04/schema#', id: 'http://example.com/order.json', properties: { n: { type: 'number', maximum: 5, exclusiveMaximum: true } } };
  expect(draft4To7(schema)).toMatchObject({ $id: 'http://example.com/order.json', properties: { n: { exclusiveMaximum: 5 } } });
  const validate = ajv.compile(schema);
  expect(validate({ n: 4.9 })).toBe(true);
  expect(validate({ n: 5 })).toBe(false);
});
