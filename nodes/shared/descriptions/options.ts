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
