import type { INodeProperties } from 'n8n-workflow';
import { operationField } from '../../../../shared/descriptions/resource';
import * as checkCompatibility from './checkCompatibility.operation';
import * as get from './get.operation';
import * as register from './register.operation';

export { checkCompatibility, get, register };

export const description: INodeProperties[] = [
  operationField('schema', 'get', [
    {
      name: 'Check Compatibility',
      value: 'checkCompatibility',
      description: 'Test a schema against a version or the latest, explaining what breaks',
      action: 'Check schema compatibility',
    },
    { name: 'Get', value: 'get', description: 'Get a schema by subject version, latest, or ID', action: 'Get a schema' },
    { name: 'Register', value: 'register', description: 'Register a schema under a subject (Avro, Protobuf, JSON Schema)', action: 'Register a schema' },
  ]),
  ...get.description,
  ...register.description,
  ...checkCompatibility.description,
];
