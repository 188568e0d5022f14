/**
 * Resource locators for every node: the field definitions (From List / By Name, expressions
 * allowed in both) and the `methods.listSearch` functions that fill the lists from the live
 * cluster, registry or Connect worker through the node's credential. A locator's value is read
 * with `locatorValue`, which also accepts the plain strings workflows saved before the fields
 * became locators.
 */
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult, INodeProperties, ITriggerFunctions } from 'n8n-workflow';
import { ConnectClient } from './connect/client';
import { isKafkaSuiteError } from './errors';
import { openConnection } from './kafka';
import { getClusterCredential, getConnectCredential, getRegistryCredential } from './n8n';
import { registryClientFor } from './schemaRegistry/client';

const PAGE = 100;

/** Case-insensitive "contains" over the names, sorted, one page at a time. */
export function pageOf(names: Array<string | INodeListSearchItems>, filter?: string, paginationToken?: string): INodeListSearchResult {
  const needle = (filter ?? '').trim().toLowerCase();
  const items = names
    .map((n) => (typeof n === 'string' ? { name: n, value: n } : n))
    .filter((i) => !needle || String(i.value).toLowerCase().includes(needle) || i.name.toLowerCase().includes(needle))
    .sort((a, b) => String(a.value).localeCompare(String(b.value), undefined, { numeric: true }));
  const start = Number(paginationToken ?? 0) || 0;
  const results = items.slice(start, start + PAGE);
  return { results, paginationToken: start + PAGE < items.length ? String(start + PAGE) : undefined };
}

type CredentialContext = Pick<ILoadOptionsFunctions, 'getCredentials'>;

export async function searchTopics(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
  const topics = await openConnection(await getClusterCredential(this as CredentialContext)).withAdmin(async (admin) => admin.listTopics());
  // Internal topics only when asked for by name: they are rarely what a workflow wants.
  const wantsInternal = (filter ?? '').startsWith('_');
  return pageOf(
    topics.filter((t) => wantsInternal || !t.startsWith('__')),
    filter,
    paginationToken,
  );
}

export async function searchGroups(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
  const groups = await openConnection(await getClusterCredential(this as CredentialContext)).withAdmin(async (admin) => admin.listGroups());
  return pageOf(
    groups.map((g) => ({ name: g.protocolType && g.protocolType !== 'consumer' ? `${g.groupId} (${g.protocolType})` : g.groupId, value: g.groupId })),
    filter,
    paginationToken,
  );
}

export async function searchPrincipals(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
  const acls = await openConnection(await getClusterCredential(this as CredentialContext)).withAdmin(async (admin) => admin.describeAcls({}));
  const principals = new Set(acls.map((acl) => acl.principal));
  return pageOf([...principals], filter, paginationToken);
}

/** A permanent delete only applies to what was soft-deleted first, so that list shows those too. */
const wantsDeleted = (context: ILoadOptionsFunctions) => context.getCurrentNodeParameter('operation') === 'hardDelete';

export async function searchSubjects(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
  const registry = registryClientFor(await getRegistryCredential(this as CredentialContext));
  if (!wantsDeleted(this)) return pageOf(await registry.listSubjects(), filter, paginationToken);
  const [live, all] = await Promise.all([registry.listSubjects(false), registry.listSubjects(true)]);
  return pageOf(
    all.map((s) => ({ name: live.includes(s) ? s : `${s} (soft-deleted)`, value: s })),
    filter,
    paginationToken,
  );
}

/** Versions of the subject chosen in the same node (its `subject` parameter), newest first. */
export async function searchVersions(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
  const subject = String(this.getCurrentNodeParameter('subject', { extractValue: true }) ?? '').trim();
  if (!subject || subject.startsWith('=')) return { results: [] };
  const registry = registryClientFor(await getRegistryCredential(this as CredentialContext));
  const deleted = wantsDeleted(this);
  // A wholly soft-deleted subject has no live versions: the registry answers 404 (40401) for them.
  const live = deleted ? await registry.listVersions(subject).catch((error: unknown) => (isKafkaSuiteError(error) && error.code === '40401' ? [] : Promise.reject(error))) : await registry.listVersions(subject);
  const versions = deleted ? await registry.listVersions(subject, true) : live;
  const newest = Math.max(...live);
  const needle = (filter ?? '').trim();
  return {
    results: [...versions]
      .sort((a, b) => b - a)
      .filter((v) => !needle || String(v).includes(needle))
      .map((v) => ({ name: !live.includes(v) ? `${v} (soft-deleted)` : v === newest ? `${v} (latest)` : String(v), value: v })),
  };
}

export async function searchConnectors(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
  const connectors = await new ConnectClient(await getConnectCredential(this as CredentialContext)).list();
  return pageOf(
    connectors.map((c) => ({ name: `${c.name} (${c.info.type ?? c.status.type ?? 'connector'}, ${c.status.connector.state})`, value: c.name })),
    filter,
    paginationToken,
  );
}

/** The `methods.listSearch` block a node spreads in; n8n only calls the ones its fields name. */
export const listSearch = { searchTopics, searchGroups, searchPrincipals, searchSubjects, searchVersions, searchConnectors };
export type ListSearchMethod = keyof typeof listSearch;

export interface LocatorOptions {
  displayName: string;
  name: string;
  method: ListSearchMethod;
  placeholder: string;
  description?: string;
  required?: boolean;
  /** Label and hint of the typed mode; e.g. a comma-separated list of topics for the Trigger. */
  nameMode?: { displayName?: string; placeholder?: string; hint?: string };
  /** Versions are numbers; everything else is a name. */
  numeric?: boolean;
}

/** A resource locator field: pick from the live list, or type a name (both accept expressions). */
export function locatorField(options: LocatorOptions): INodeProperties {
  return {
    displayName: options.displayName,
    name: options.name,
    type: 'resourceLocator',
    default: { mode: 'list', value: '' },
    required: options.required ?? true,
    ...(options.description ? { description: options.description } : {}),
    modes: [
      {
        displayName: 'From List',
        name: 'list',
        type: 'list',
        placeholder: `Select a ${options.displayName.toLowerCase()}…`,
        typeOptions: { searchListMethod: options.method, searchable: true },
      },
      {
        displayName: options.nameMode?.displayName ?? (options.numeric ? 'By Number' : 'By Name'),
        name: options.numeric ? 'id' : 'name',
        type: 'string',
        placeholder: options.nameMode?.placeholder ?? options.placeholder,
        ...(options.nameMode?.hint ? { hint: options.nameMode.hint } : {}),
        ...(options.numeric ? { validation: [{ type: 'regex', properties: { regex: '^[0-9]+$', errorMessage: 'A version is a whole number' } }] } : {}),
      },
    ],
  };
}

type ParameterContext = Pick<IExecuteFunctions, 'getNodeParameter'> | Pick<ITriggerFunctions, 'getNodeParameter'>;

/**
 * The text of a locator (or of the plain string saved by older versions of the node). Execute
 * contexts take an item index, trigger contexts do not.
 */
export function locatorValue(context: ParameterContext, name: string, itemIndex?: number): string {
  const raw =
    itemIndex === undefined
      ? (context as Pick<ITriggerFunctions, 'getNodeParameter'>).getNodeParameter(name, '', { extractValue: true })
      : (context as Pick<IExecuteFunctions, 'getNodeParameter'>).getNodeParameter(name, itemIndex, '', { extractValue: true });
  // A test double or an old n8n may hand back the locator object itself.
  const value = raw && typeof raw === 'object' && 'value' in (raw as IDataObject) ? (raw as IDataObject).value : raw;
  return String(value ?? '').trim();
}
