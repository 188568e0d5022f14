import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as catalog from './catalog.operation';
import * as terraform from './terraform.operation';

export { catalog, terraform };

export const description: INodeProperties[] = [
  operationField('export', 'terraform', [
    {
      name: 'Markdown Catalog',
      value: 'catalog',
      description: 'A Markdown document of the topics, their schemas and the groups reading them, with a Mermaid diagram of producers → topics → groups',
      action: 'Export a topic catalog as markdown',
    },
    {
      name: 'Terraform Module',
      value: 'terraform',
      description: 'The live cluster’s topics (with their overrides) and ACLs as a Mongey/kafka Terraform module',
      action: 'Export the cluster as a terraform module',
    },
  ]),
  ...terraform.description,
  ...catalog.description,
];
