import type { INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { resourceField } from '../../../shared/descriptions/resource';
import * as compatibility from './compatibility/Compatibility.resource';
import * as mode from './mode/Mode.resource';
import * as schema from './schema/Schema.resource';
import * as subject from './subject/Subject.resource';
import * as wireFormat from './wireFormat/WireFormat.resource';

/** Version 1 on top of the base description (name, icon, group) in the node's .node.ts. */
export const versionDescription = (base: INodeTypeBaseDescription): INodeTypeDescription => ({
  ...base,
  version: 1,
  subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
  defaults: { name: 'Kafka Schema Registry' },
  usableAsTool: true,
  inputs: [NodeConnectionTypes.Main],
  outputs: [NodeConnectionTypes.Main],
  credentials: [{ name: 'kafkaSuiteSchemaRegistryApi', required: true, testedBy: 'kafkaSuiteSchemaRegistryConnectionTest' }],
  properties: [
    resourceField('subject', [
      { name: 'Compatibility', value: 'compatibility' },
      { name: 'Mode', value: 'mode' },
      { name: 'Schema', value: 'schema' },
      { name: 'Subject', value: 'subject' },
      { name: 'Wire Format', value: 'wireFormat' },
    ]),
    ...subject.description,
    ...schema.description,
    ...compatibility.description,
    ...mode.description,
    ...wireFormat.description,
  ],
});
