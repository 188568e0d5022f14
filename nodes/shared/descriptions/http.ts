import type { INodeProperties } from 'n8n-workflow';

/**
 * Username and password of the HTTP credentials (Connect, Schema Registry), shown when their
 * Authentication is Basic Auth; the Connect and registry clients read them by these names.
 */
export const basicAuthFields: INodeProperties[] = [
  {
    displayName: 'Username',
    name: 'username',
    type: 'string',
    default: '',
    displayOptions: { show: { authType: ['basic'] } },
  },
  {
    displayName: 'Password',
    name: 'password',
    type: 'string',
    typeOptions: { password: true },
    default: '',
    displayOptions: { show: { authType: ['basic'] } },
  },
];
