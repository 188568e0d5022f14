import type { INodeProperties } from 'n8n-workflow';

/** The Options collection: the optional settings of a node or an operation, added one by one. */
export const optionsCollection = (options: INodeProperties[]): INodeProperties => ({
  displayName: 'Options',
  name: 'options',
  type: 'collection',
  placeholder: 'Add Option',
  default: {},
  options,
});

/**
 * A name filter (topics, groups): text to contain, a glob or a /regular expression/, read by
 * nameMatcher() in nodes/shared.
 */
export const nameFilterField = (displayName: string, name: string, description: string): INodeProperties => ({
  displayName,
  name,
  type: 'string',
  default: '',
  placeholder: 'orders-*',
  description,
});
