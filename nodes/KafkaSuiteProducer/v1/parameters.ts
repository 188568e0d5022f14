import type { IExecuteFunctions, IGetNodeParameterOptions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

/**
 * Reads the Producer's per-item parameters, resolving each constant one once per execution.
 *
 * n8n's getNodeParameter resolves a parameter again for every item (expression engine, type
 * validation, resource-locator extraction), which was a large part of the node's own per-item cost
 * (test/bench/notes.md). A parameter can only differ between items through an expression: in the
 * node's raw parameters (what the editor saved) an expression is a string starting with "=",
 * anywhere inside the value. A parameter with none is read for the first item that asks and the
 * answer reused for the others; one with an expression, or one the raw parameters do not hold (so it
 * cannot be told apart), is read for every item as before. A read that throws is not remembered.
 */
export type ItemParameters = Pick<IExecuteFunctions, 'getNodeParameter'>;

export function itemParameters(ctx: IExecuteFunctions): ItemParameters {
  const raw = (ctx.getNode().parameters ?? {}) as INodeParameters;
  const constant = new Map<string, boolean>();
  // Resolved constants, by name; extracted resource-locator values apart.
  const plain = new Map<string, unknown>();
  const extracted = new Map<string, unknown>();
  const read = (name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions): unknown => {
    const values = options?.extractValue ? extracted : plain;
    const hit = values.get(name);
    if (hit !== undefined || values.has(name)) return hit;
    const value = ctx.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType, options);
    let isConstant = constant.get(name);
    if (isConstant === undefined) constant.set(name, (isConstant = holdsNoExpression(rawValue(raw, name))));
    if (isConstant) values.set(name, value);
    return value;
  };
  // The same call shape as the context's (its overloads only narrow the return type).
  return { getNodeParameter: read } as unknown as ItemParameters;
}

/** The raw value at a parameter path (`headerList.header`); undefined when the node does not hold it. */
function rawValue(parameters: INodeParameters, path: string): unknown {
  if (path in parameters) return parameters[path];
  let current: unknown = parameters;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** True when the value is present and no string inside it is an expression ("=..."). */
export function holdsNoExpression(value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value === 'string') return !value.startsWith('=');
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(holdsNoExpression);
  for (const entry of Object.values(value as Record<string, unknown>)) {
    if (entry !== undefined && !holdsNoExpression(entry)) return false;
  }
  return true;
}
