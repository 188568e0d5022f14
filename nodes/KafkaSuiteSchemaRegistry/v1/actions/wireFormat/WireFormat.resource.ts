import type { INodeProperties } from 'n8n-workflow';
import * as deserialize from './deserialize.operation';
import * as serialize from './serialize.operation';

export { deserialize, serialize };

export const description: INodeProperties[] = [
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['wireFormat'] } },
    options: [
      {
        name: 'Deserialize',
        value: 'deserialize',
        description: 'Decode a Confluent wire-format value (magic byte, schema ID, payload) into JSON',
        action: 'Deserialize a wire format value',
      },
      {
        name: 'Serialize',
        value: 'serialize',
        description: "Encode an item's value into the Confluent wire format with a registered schema",
        action: 'Serialize a value into wire format',
      },
    ],
    default: 'serialize',
  },
  ...serialize.description,
  ...deserialize.description,
];
