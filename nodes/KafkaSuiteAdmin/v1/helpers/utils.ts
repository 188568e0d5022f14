import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { getClusterCredential, locatorValue, openConnection, type KafkaAdmin, type KafkaConnection } from '../../../shared';

const connections = new WeakMap<IExecuteFunctions, Promise<KafkaConnection>>();

/** The connection of the node's cluster credential, opened (resolved and hashed) once per execution. */
export function connectionOf(context: IExecuteFunctions): Promise<KafkaConnection> {
  let found = connections.get(context);
  if (!found) {
    found = getClusterCredential(context).then((credential) => openConnection(credential));
    // A failed credential read is not cached: the next item of the execution reports it again.
    found.catch(() => connections.delete(context));
    connections.set(context, found);
  }
  return found;
}

/** Runs `use` with the pooled admin client of the node's cluster credential. */
export async function withAdmin<R>(context: IExecuteFunctions, use: (admin: KafkaAdmin) => Promise<R>): Promise<R> {
  return await (await connectionOf(context)).withAdmin(use);
}

export function splitList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter(Boolean);
  return String(value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

export function requiredString(context: IExecuteFunctions, name: string, itemIndex: number, label: string): string {
  const value = String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
  if (!value) throw new NodeOperationError(context.getNode(), `${label} is required`, { itemIndex });
  return value;
}

/** A resource locator's value (or the plain string older workflows saved), required. */
export function requiredLocator(context: IExecuteFunctions, name: string, itemIndex: number, label: string): string {
  const value = locatorValue(context, name, itemIndex);
  if (!value) throw new NodeOperationError(context.getNode(), `${label} is required`, { itemIndex });
  return value;
}

export function integerParameter(context: IExecuteFunctions, name: string, itemIndex: number, label: string, min?: number): number {
  const raw = context.getNodeParameter(name, itemIndex);
  const value = typeof raw === 'number' ? raw : Number(String(raw ?? '').trim());
  if (!Number.isInteger(value) || (min !== undefined && value < min)) {
    throw new NodeOperationError(context.getNode(), `${label} must be a whole number${min !== undefined ? ` of at least ${min}` : ''} (got "${String(raw)}")`, { itemIndex });
  }
  return value;
}

/** JSON parameters arrive as objects (from expressions) or as text (typed in). */
export function jsonParameter(context: IExecuteFunctions, name: string, itemIndex: number, label: string): unknown {
  const raw = context.getNodeParameter(name, itemIndex);
  if (typeof raw !== 'string') return raw;
  if (!raw.trim()) throw new NodeOperationError(context.getNode(), `${label} is required`, { itemIndex });
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new NodeOperationError(context.getNode(), `${label} is not valid JSON: ${(error as Error).message}`, { itemIndex });
  }
}

/** name/value pairs from a fixedCollection, as a config map. */
export function configPairs(context: IExecuteFunctions, name: string, itemIndex: number): Record<string, string> {
  const collection = context.getNodeParameter(name, itemIndex, {}) as { config?: Array<{ name?: string; value?: unknown }> };
  const out: Record<string, string> = {};
  for (const entry of collection.config ?? []) {
    const key = String(entry.name ?? '').trim();
    if (!key) throw new NodeOperationError(context.getNode(), 'A config entry has no name', { itemIndex });
    out[key] = String(entry.value ?? '');
  }
  return out;
}

export const CONFIRMATION = 'confirmation';

/** The field a user fills in by typing the exact name of what a destructive operation affects. */
export function confirmationField(what: string, displayOptions: IDisplayOptions): INodeProperties {
  return {
    displayName: `Confirm by Typing the ${what} Name`,
    name: CONFIRMATION,
    type: 'string',
    default: '',
    required: true,
    description: `This operation cannot be undone. Type the exact ${what.toLowerCase()} name to confirm.`,
    displayOptions,
  };
}

/** Destructive operations run only when the user typed the exact name of their target. */
export function assertConfirmed(context: IExecuteFunctions, itemIndex: number, expected: string, what: string): void {
  const typed = String(context.getNodeParameter(CONFIRMATION, itemIndex, '') ?? '').trim();
  if (typed !== expected) {
    throw new NodeOperationError(
      context.getNode(),
      typed ? `Confirmation "${typed}" does not match the ${what} name "${expected}"; nothing was changed` : `Type the ${what} name "${expected}" in the confirmation field to proceed; nothing was changed`,
      { itemIndex, description: 'Destructive operations need the exact name typed as confirmation.' },
    );
  }
}

export const asData = <T>(value: T): IDataObject => value as unknown as IDataObject;
