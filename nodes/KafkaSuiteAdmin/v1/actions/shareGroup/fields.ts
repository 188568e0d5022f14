import type { INodeProperties } from 'n8n-workflow';

// A plain text field: the group lists of the other resources show consumer groups, and no client
// library lists share groups (the List operation of this resource does).
export const shareGroupField: INodeProperties = {
  displayName: 'Share Group ID',
  name: 'shareGroupId',
  type: 'string',
  default: '',
  required: true,
  placeholder: 'email-jobs',
  description: 'The share group (KIP-932), e.g. the Group ID of a Kafka Trigger in Share Group mode',
};
