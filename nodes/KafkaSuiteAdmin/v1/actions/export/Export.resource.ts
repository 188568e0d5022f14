import type { INodeProperties } from 'n8n-workflow';
import * as terraform from './terraform.operation';

export { terraform };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['export'] } },
    options: [
      {
        name: 'Terraform Module',
        value: 'terraform',
        description: 'The live cluster’s topics (with their overrides) and ACLs as a Mongey/kafka Terraform module',
        action: 'Export the cluster as a terraform module',
      },
    ],
    default: 'terraform',
  },
  ...terraform.description,
];
