// Every resource locator field names a list-search method its node offers, keeps a typed mode,
// and locatorValue reads both the locator and the plain values older workflows saved.
import type { INodeProperties, INodeType, IVersionedNodeType } from 'n8n-workflow';
import { KafkaSuiteAdmin } from '../../nodes/KafkaSuiteAdmin/KafkaSuiteAdmin.node';
import { KafkaSuiteLagCheck } from '../../nodes/KafkaSuiteLagCheck/KafkaSuiteLagCheck.node';
import { KafkaSuiteLagTrigger } from '../../nodes/KafkaSuiteLagTrigger/KafkaSuiteLagTrigger.node';
import { KafkaSuiteProducer } from '../../nodes/KafkaSuiteProducer/KafkaSuiteProducer.node';
import { KafkaSuiteSchemaRegistry } from '../../nodes/KafkaSuiteSchemaRegistry/KafkaSuiteSchemaRegistry.node';
import { KafkaSuiteTrigger } from '../../nodes/KafkaSuiteTrigger/KafkaSuiteTrigger.node';
import { locatorValue, pageOf } from '../../nodes/shared';

const latest = (node: INodeType | IVersionedNodeType): INodeType =>
  'nodeVersions' in node ? (node.nodeVersions[node.description.defaultVersion ?? 1] as INodeType) : node;
const nodes = { KafkaSuiteAdmin, KafkaSuiteLagCheck, KafkaSuiteLagTrigger, KafkaSuiteProducer, KafkaSuiteSchemaRegistry, KafkaSuiteTrigger };

const locators = (props: INodeProperties[]) => props.filter((p) => p.type === 'resourceLocator');

describe('resource locators', () => {
  test.each(Object.entries(nodes))('%s: each locator lists through a method the node has, and can be typed', (_name, NodeClass) => {
    const node = latest(new NodeClass());
    const fields = locators(node.description.properties);
    expect(fields.length).toBeGreaterThan(0);
    const methods = Object.keys(node.methods?.listSearch ?? {});
    for (const field of fields) {
      const list = field.modes?.find((m) => m.type === 'list');
      const typed = field.modes?.find((m) => m.type === 'string');
      expect([field.name, list?.typeOptions?.searchListMethod && methods.includes(list.typeOptions.searchListMethod)]).toEqual([field.name, true]);
      expect([field.name, Boolean(typed)]).toEqual([field.name, true]);
      expect(field.default).toEqual({ mode: 'list', value: '' });
    }
  });

  test('which fields are locators, per node', () => {
    const names = Object.fromEntries(Object.entries(nodes).map(([name, NodeClass]) => [name, [...new Set(locators(latest(new NodeClass()).description.properties).map((p) => p.name))].sort()]));
    expect(names).toEqual({
      KafkaSuiteAdmin: ['aclPrincipal', 'connector', 'groupId', 'topic'],
      KafkaSuiteLagCheck: ['groups'],
      KafkaSuiteLagTrigger: ['groups'],
      KafkaSuiteProducer: ['topic'],
      KafkaSuiteSchemaRegistry: ['subject', 'version'],
      KafkaSuiteTrigger: ['groupId', 'topics'],
    });
  });

  test('locatorValue: locator object, plain string, number; execute and trigger signatures', () => {
    const execute = (value: unknown) => ({ getNodeParameter: (_n: string, _i: number, fallback: unknown) => value ?? fallback });
    expect(locatorValue(execute({ __rl: true, mode: 'list', value: ' orders ' }) as never, 'topic', 0)).toBe('orders');
    expect(locatorValue(execute('legacy') as never, 'topic', 0)).toBe('legacy');
    expect(locatorValue(execute(2) as never, 'version', 0)).toBe('2');
    expect(locatorValue(execute(undefined) as never, 'topic', 0)).toBe('');
    const trigger = { getNodeParameter: (_n: string, _fallback: unknown, options: { extractValue?: boolean }) => (options?.extractValue ? 'a, b' : { value: 'wrong' }) };
    expect(locatorValue(trigger as never, 'topics')).toBe('a, b');
  });

  test('pageOf: contains-filter on name or value, numeric-aware order, pages of 100', () => {
    const names = Array.from({ length: 250 }, (_, i) => `t${i}`);
    const first = pageOf(names);
    expect(first.results).toHaveLength(100);
    expect(first.results.slice(0, 3).map((r) => r.value)).toEqual(['t0', 't1', 't2']);
    expect(first.paginationToken).toBe('100');
    const last = pageOf(names, undefined, '200');
    expect(last.results.map((r) => r.value).slice(-1)).toEqual(['t249']);
    expect(last.paginationToken).toBeUndefined();
    expect(pageOf([{ name: 'Orders (sink, RUNNING)', value: 'orders' }], 'running').results).toHaveLength(1);
  });
});
