import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { routeOperations } from '../../nodes/shared/router';

// The one router of the Admin, Lag Check and Schema Registry nodes. The execution context is a
// stand-in with the few calls the router makes; returnJsonArray and constructExecutionMetaData
// behave as n8n-core's (an object or array of objects becomes items; each item gets pairedItem).

function context(parameters: { resource: string; operation: string }, items: number, continueOnFail: boolean): IExecuteFunctions {
  const node = { id: 'n', name: 'Router Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
  return {
    getInputData: () => Array.from({ length: items }, (_, i) => ({ json: { i } })),
    getNodeParameter: (name: 'resource' | 'operation') => parameters[name],
    getNode: () => node,
    continueOnFail: () => continueOnFail,
    helpers: {
      returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
      constructExecutionMetaData: (data: INodeExecutionData[], { itemData }: { itemData: { item: number } }) => data.map((item) => ({ ...item, pairedItem: itemData })),
    },
  } as unknown as IExecuteFunctions;
}

const resources = {
  topic: {
    list: { execute: async (itemIndex: number) => [{ name: `a${itemIndex}` }, { name: `b${itemIndex}` }] },
    describe: { execute: async (itemIndex: number) => ({ name: `t${itemIndex}` }) },
    binary: { execute: async (itemIndex: number) => [{ json: { file: itemIndex }, binary: {} }] },
    fail: {
      execute: async (itemIndex: number) => {
        if (itemIndex === 1) throw new Error('broker said no');
        return { ok: itemIndex };
      },
    },
  },
};

describe('routeOperations', () => {
  test('one item in, one or more out, each paired with its input item', async () => {
    const [list] = await routeOperations.call(context({ resource: 'topic', operation: 'list' }, 2, false), resources);
    expect(list).toEqual([
      { json: { name: 'a0' }, pairedItem: { item: 0 } },
      { json: { name: 'b0' }, pairedItem: { item: 0 } },
      { json: { name: 'a1' }, pairedItem: { item: 1 } },
      { json: { name: 'b1' }, pairedItem: { item: 1 } },
    ]);
    const [describe] = await routeOperations.call(context({ resource: 'topic', operation: 'describe' }, 1, false), resources);
    expect(describe).toEqual([{ json: { name: 't0' }, pairedItem: { item: 0 } }]);
  });

  test('operations that build their own items (binary data) keep them', async () => {
    const [out] = await routeOperations.call(context({ resource: 'topic', operation: 'binary' }, 1, false), resources);
    expect(out).toEqual([{ json: { file: 0 }, binary: {}, pairedItem: { item: 0 } }]);
  });

  test('a failing item becomes an error item with continueOnFail, and fails the node without it', async () => {
    const [out] = await routeOperations.call(context({ resource: 'topic', operation: 'fail' }, 3, true), resources);
    expect(out.map((item) => item.json.ok ?? item.json.error)).toEqual([0, 'broker said no', 2]);
    expect(out[1].pairedItem).toEqual({ item: 1 });
    await expect(routeOperations.call(context({ resource: 'topic', operation: 'fail' }, 3, false), resources)).rejects.toThrow('broker said no');
  });

  test('an unknown resource or operation is a node error naming both', async () => {
    await expect(routeOperations.call(context({ resource: 'topic', operation: 'nope' }, 1, false), resources)).rejects.toThrow(NodeOperationError);
    await expect(routeOperations.call(context({ resource: 'group', operation: 'list' }, 1, false), resources)).rejects.toThrow('The operation "list" is not supported for resource "group"');
  });
});
