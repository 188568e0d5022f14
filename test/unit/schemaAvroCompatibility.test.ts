import { explainAvroChange } from '../../nodes/KafkaSuiteSchemaRegistry/v1/helpers/avroCompatibility';

const record = (fields: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'record', name: 'R', namespace: 'x', fields, ...extra });

describe('explainAvroChange', () => {
  it('is silent for compatible changes and for NONE', () => {
    const before = record([{ name: 'a', type: 'int' }]);
    expect(explainAvroChange(before, record([{ name: 'a', type: 'long' }, { name: 'b', type: 'string', default: '' }]), 'FULL_TRANSITIVE').filter((m) => m.startsWith('BACKWARD'))).toEqual([]);
    expect(explainAvroChange(before, record([{ name: 'b', type: 'string' }]), 'NONE')).toEqual([]);
  });

  it('explains a field added without a default (BACKWARD) and a removed field without default (FORWARD)', () => {
    const before = record([{ name: 'a', type: 'string' }]);
    const after = record([{ name: 'b', type: 'int' }]);
    expect(explainAvroChange(before, after, 'FULL')).toEqual([
      'BACKWARD: field "b" (int) was added without a default, so records written with the old schema have no value for it',
      'FORWARD: field "a" (string) was removed, and the old schema has no default for it, so old consumers cannot read new records',
    ]);
  });

  it('accepts Avro promotions one way only', () => {
    const intField = record([{ name: 'n', type: 'int' }]);
    const longField = record([{ name: 'n', type: 'long' }]);
    expect(explainAvroChange(intField, longField, 'BACKWARD')).toEqual([]);
    expect(explainAvroChange(intField, longField, 'FORWARD')).toEqual(['FORWARD: "n" changed from int to long, which old consumers cannot read']);
  });

  it('handles unions, nested records, enums, arrays, maps and named references', () => {
    const before = record([
      { name: 'maybe', type: ['null', 'string'], default: null },
      { name: 'inner', type: { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'int' }] } },
      { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
      { name: 'again', type: 'Inner' },
      { name: 'list', type: { type: 'array', items: 'int' } },
      { name: 'dict', type: { type: 'map', values: 'string' } },
    ]);
    const after = record([
      { name: 'maybe', type: ['null', 'int'], default: null },
      { name: 'inner', type: { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'int' }, { name: 'y', type: 'int' }] } },
      { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED'] } },
      { name: 'again', type: 'Inner' },
      { name: 'list', type: { type: 'array', items: 'string' } },
      { name: 'dict', type: { type: 'map', values: 'bytes' } },
    ]);
    expect(explainAvroChange(before, after, 'BACKWARD')).toEqual([
      'BACKWARD: "maybe" changed from string to union [null, int], which cannot read the old values',
      'BACKWARD: field "inner.y" (int) was added without a default, so records written with the old schema have no value for it',
      'BACKWARD: enum "color" dropped symbol(s) GREEN that old records may contain, and has no default',
      'BACKWARD: field "again.y" (int) was added without a default, so records written with the old schema have no value for it',
      'BACKWARD: "list[]" changed from int to string, which cannot read the old values',
    ]);
  });

  it('reports renamed records unless aliased, and tolerates recursive types', () => {
    const before = JSON.stringify({ type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'], default: null }] });
    const renamed = JSON.stringify({ type: 'record', name: 'Link', fields: [{ name: 'next', type: ['null', 'Link'], default: null }] });
    expect(explainAvroChange(before, renamed, 'BACKWARD')[0]).toContain('renamed from Node to Link');
    const aliased = JSON.stringify({ type: 'record', name: 'Link', aliases: ['Node'], fields: [{ name: 'next', type: ['null', 'Link'], default: null }] });
    expect(explainAvroChange(before, aliased, 'BACKWARD')).toEqual([]);
  });

  it('returns nothing for text that is not JSON (the registry has the final word)', () => {
    expect(explainAvroChange('{', record([]), 'BACKWARD')).toEqual([]);
  });
});
