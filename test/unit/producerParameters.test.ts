// The Producer's per-item parameter reader: constants resolved once per execution, expressions
// (strings starting with "=" anywhere in the raw value) and parameters the raw node does not hold
// resolved for every item, failed reads never remembered.
import type { IExecuteFunctions } from 'n8n-workflow';
import { holdsNoExpression, itemParameters } from '../../nodes/KafkaSuiteProducer/v1/parameters';

function contextWith(raw: Record<string, unknown>, resolve: (name: string, itemIndex: number) => unknown) {
  const calls: Array<[string, number]> = [];
  const ctx = {
    getNode: () => ({ parameters: raw }),
    getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
      calls.push([name, itemIndex]);
      const value = resolve(name, itemIndex);
      return value === undefined ? fallback : value;
    },
  };
  return { ctx: ctx as unknown as IExecuteFunctions, calls };
}

describe('itemParameters', () => {
  it('resolves a constant once and reuses it for every item', () => {
    const { ctx, calls } = contextWith({ valueField: 'v', options: { acks: 'all' } }, (name) => (name === 'valueField' ? 'v' : { acks: 'all' }));
    const params = itemParameters(ctx);
    for (let i = 0; i < 5; i++) {
      expect(params.getNodeParameter('valueField', i, '')).toBe('v');
      expect(params.getNodeParameter('options', i, {})).toEqual({ acks: 'all' });
    }
    expect(calls).toEqual([
      ['valueField', 0],
      ['options', 0],
    ]);
  });

  it('resolves an expression, also one nested in a collection, for every item', () => {
    const { ctx, calls } = contextWith({ key: '={{ $json.id }}', options: { timestamp: '={{ $json.ts }}' } }, (name, i) => `${name}-${i}`);
    const params = itemParameters(ctx);
    expect([0, 1, 2].map((i) => params.getNodeParameter('key', i, ''))).toEqual(['key-0', 'key-1', 'key-2']);
    expect([0, 1].map((i) => params.getNodeParameter('options', i, {}))).toEqual(['options-0', 'options-1']);
    expect(calls).toHaveLength(5);
  });

  it('resolves a parameter the raw node does not hold for every item, and a dotted path by its raw value', () => {
    const { ctx, calls } = contextWith({ headerList: { header: [{ name: 'a', value: 'b' }] } }, (name, i) => `${name}-${i}`);
    const params = itemParameters(ctx);
    params.getNodeParameter('partition', 0, 0);
    params.getNodeParameter('partition', 1, 0);
    params.getNodeParameter('headerList.header', 0, []);
    params.getNodeParameter('headerList.header', 1, []);
    expect(calls).toEqual([
      ['partition', 0],
      ['partition', 1],
      ['headerList.header', 0],
    ]);
  });

  it('does not remember a read that threw', () => {
    let fail = true;
    const { ctx, calls } = contextWith({ topic: 'orders' }, () => {
      if (fail) throw new Error('no');
      return 'orders';
    });
    const params = itemParameters(ctx);
    expect(() => params.getNodeParameter('topic', 0, '')).toThrow('no');
    fail = false;
    expect(params.getNodeParameter('topic', 1, '')).toBe('orders');
    expect(params.getNodeParameter('topic', 2, '')).toBe('orders');
    expect(calls).toHaveLength(2);
  });

  it('tells expressions apart from constants', () => {
    expect(holdsNoExpression('plain = text')).toBe(true);
    expect(holdsNoExpression('={{ 1 }}')).toBe(false);
    expect(holdsNoExpression({ __rl: true, mode: 'list', value: 'orders' })).toBe(true);
    expect(holdsNoExpression({ __rl: true, mode: 'name', value: '={{ $json.topic }}' })).toBe(false);
    expect(holdsNoExpression([{ name: 'a', value: '=x' }])).toBe(false);
    expect(holdsNoExpression(0)).toBe(true);
    expect(holdsNoExpression(null)).toBe(true);
    expect(holdsNoExpression(undefined)).toBe(false);
  });
});
