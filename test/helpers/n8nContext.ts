/**
 * Minimal stand-ins for the function contexts n8n hands to nodes, so node code can be driven
 * directly against the real broker. Only what our nodes use is implemented; extend it (append)
 * when a node needs more. End-to-end behaviour inside real n8n is covered by test/e2e.
 */
import type { IDataObject, INode, INodeExecutionData, IRun } from 'n8n-workflow';

export type Params = Record<string, unknown> | ((name: string, itemIndex: number) => unknown);

export interface ContextOptions {
  parameters: Params;
  credentials?: Record<string, unknown>;
  items?: INodeExecutionData[];
  continueOnFail?: boolean;
  node?: Partial<INode>;
  staticData?: IDataObject;
  mode?: 'manual' | 'trigger' | 'internal';
  executionId?: string;
}

const baseNode = (node?: Partial<INode>): INode => ({
  id: 'node-under-test',
  name: 'Node Under Test',
  type: 'n8n-nodes-kafka-suite.test',
  typeVersion: 1,
  position: [0, 0],
  parameters: {},
  ...node,
});

function lookupParameter(parameters: Params, name: string, itemIndex: number, fallback: unknown): unknown {
  const value = typeof parameters === 'function' ? parameters(name, itemIndex) : getPath(parameters, name);
  return value === undefined ? fallback : value;
}

function getPath(object: Record<string, unknown>, path: string): unknown {
  if (path in object) return object[path];
  return path.split('.').reduce<unknown>((current, key) => (current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined), object);
}

const silentLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function common(options: ContextOptions) {
  const node = baseNode(options.node);
  const staticData = options.staticData ?? {};
  return {
    getNode: () => node,
    getCredentials: async (type: string) => {
      const found = options.credentials?.[type];
      if (!found) throw new Error(`No credential of type ${type} in the test context`);
      return found;
    },
    getWorkflowStaticData: () => staticData,
    getMode: () => options.mode ?? 'trigger',
    getActivationMode: () => 'activate',
    getExecutionId: () => options.executionId ?? 'test-execution',
    getWorkflow: () => ({ id: 'test-workflow', name: 'Test Workflow', active: true }),
    getTimezone: () => 'UTC',
    logger: silentLogger,
    continueOnFail: () => options.continueOnFail ?? false,
  };
}

export function createExecuteContext(options: ContextOptions) {
  const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
  const binaryStore = new Map<string, Buffer>();
  return {
    ...common(options),
    getInputData: () => items,
    getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => lookupParameter(options.parameters, name, itemIndex, fallback),
    helpers: {
      returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
      constructExecutionMetaData: (data: INodeExecutionData[], meta: { itemData: { item: number } | Array<{ item: number }> }) =>
        data.map((entry) => ({ ...entry, pairedItem: meta.itemData })),
      assertBinaryData: (itemIndex: number, property: string) => {
        const binary = items[itemIndex]?.binary?.[property];
        if (!binary) throw new Error(`Item ${itemIndex} has no binary property "${property}"`);
        return binary;
      },
      getBinaryDataBuffer: async (itemIndex: number, property: string) => {
        const binary = items[itemIndex]?.binary?.[property];
        if (!binary) throw new Error(`Item ${itemIndex} has no binary property "${property}"`);
        return Buffer.from(binary.data, 'base64');
      },
      prepareBinaryData: async (buffer: Buffer, fileName?: string, mimeType?: string) => {
        const id = `bin-${binaryStore.size}`;
        binaryStore.set(id, buffer);
        return { data: buffer.toString('base64'), mimeType: mimeType ?? 'application/octet-stream', fileName, fileSize: String(buffer.length) };
      },
    },
  };
}

export interface EmittedExecution {
  data: INodeExecutionData[][];
  /** Resolve to make the "execution" finish; the trigger waits on it in at-least-once modes. */
  finish: (status?: 'success' | 'error') => void;
  donePromise?: { promise: Promise<IRun>; resolve: (run: IRun) => void; reject: (error: Error) => void };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A run result shaped like the one n8n resolves the trigger's donePromise with. */
export function fakeRun(status: 'success' | 'error'): IRun {
  return {
    finished: status === 'success',
    status,
    mode: 'trigger',
    startedAt: new Date(),
    stoppedAt: new Date(),
    data: { resultData: { runData: {}, ...(status === 'error' ? { error: { message: 'workflow failed', name: 'Error' } } : {}) } },
  } as unknown as IRun;
}

export function createTriggerContext(
  options: ContextOptions & {
    /** Called for each emit; return 'success' / 'error' to finish the execution at once, or nothing to finish it later via `finish`. */
    onEmit?: (execution: EmittedExecution) => 'success' | 'error' | void | Promise<'success' | 'error' | void>;
  },
) {
  const emitted: EmittedExecution[] = [];
  const errors: Error[] = [];
  // What the trigger warned about, kept (not printed) for a test's failure message.
  const warnings: string[] = [];
  const keep = (level: string) => (message: string, meta?: unknown) => void warnings.push(`${level}: ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  return {
    ...common(options),
    logger: { ...silentLogger, warn: keep('warn'), error: keep('error') },
    emitted,
    errors,
    warnings,
    getNodeParameter: (name: string, fallback?: unknown) => lookupParameter(options.parameters, name, 0, fallback),
    helpers: {
      createDeferredPromise: deferred,
      returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
      prepareBinaryData: async (buffer: Buffer, fileName?: string, mimeType?: string) => ({
        data: buffer.toString('base64'),
        mimeType: mimeType ?? 'application/octet-stream',
        fileName,
        fileSize: String(buffer.length),
      }),
    },
    emit(data: INodeExecutionData[][], _responsePromise?: unknown, donePromise?: EmittedExecution['donePromise']) {
      const execution: EmittedExecution = {
        data,
        donePromise,
        finish: (status = 'success') => donePromise?.resolve(fakeRun(status)),
      };
      emitted.push(execution);
      void Promise.resolve(options.onEmit?.(execution)).then((status) => {
        if (status) execution.finish(status);
      });
    },
    emitError(error: Error) {
      errors.push(error);
    },
    saveFailedExecution(error: Error) {
      errors.push(error);
    },
  };
}

export function createPollContext(options: ContextOptions) {
  return {
    ...common(options),
    getNodeParameter: (name: string, fallback?: unknown) => lookupParameter(options.parameters, name, 0, fallback),
    helpers: {
      returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
    },
  };
}

/** Waits for a condition with a deadline instead of sleeping and hoping. */
export async function waitFor<T>(condition: () => T | Promise<T>, { timeoutMs = 30_000, intervalMs = 50, what = 'condition' } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
