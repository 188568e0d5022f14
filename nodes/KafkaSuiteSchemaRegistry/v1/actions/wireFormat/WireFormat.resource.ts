import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as deserialize from './deserialize.operation';
import * as serialize from './serialize.operation';

export { deserialize, serialize };

export const description: INodeProperties[] = [
  operationField('wireFormat', 'serialize', [
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
  ]),
  ...serialize.description,
  ...deserialize.description,
];
