import type {
  ICredentialTestFunctions,
  ICredentialsDecrypted,
  IDataObject,
  IExecuteFunctions,
  INodeCredentialTestResult,
  INodeExecutionData,
} from 'n8n-workflow';
import type { KafkaClusterCredential, SchemaRegistryCredential } from './credentialTypes';
import { testKafkaConnection, testSchemaRegistryConnection } from './diagnostics';
import { toKafkaSuiteError } from './errors';
import { toNodeError } from './nodeErrors';
import { testConnectConnection, type ConnectCredential } from './connect/client';

export const CLUSTER_CREDENTIAL = 'kafkaSuiteClusterApi';
export const REGISTRY_CREDENTIAL = 'kafkaSuiteSchemaRegistryApi';
export const CONNECT_CREDENTIAL = 'kafkaSuiteConnectApi';

/** `methods.credentialTest` for every node using our credentials (n8n calls these on "Save"/"Test"). */
export const credentialTests = {
  async kafkaSuiteClusterConnectionTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
    const result = await testKafkaConnection(credential.data as unknown as KafkaClusterCredential);
    return { status: result.ok ? 'OK' : 'Error', message: result.stage ? `${result.stage}: ${result.message}` : result.message };
  },
  async kafkaSuiteSchemaRegistryConnectionTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
    const result = await testSchemaRegistryConnection(credential.data as unknown as SchemaRegistryCredential);
    return { status: result.ok ? 'OK' : 'Error', message: result.stage ? `${result.stage}: ${result.message}` : result.message };
  },
  async kafkaSuiteConnectConnectionTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
    const result = await testConnectConnection(credential.data as unknown as ConnectCredential);
    return { status: result.ok ? 'OK' : 'Error', message: result.message };
  },
};

export async function getClusterCredential(context: IExecuteFunctions | { getCredentials: IExecuteFunctions['getCredentials'] }): Promise<KafkaClusterCredential> {
  return (await context.getCredentials(CLUSTER_CREDENTIAL)) as unknown as KafkaClusterCredential;
}

export async function getRegistryCredential(context: { getCredentials: IExecuteFunctions['getCredentials'] }): Promise<SchemaRegistryCredential> {
  return (await context.getCredentials(REGISTRY_CREDENTIAL)) as unknown as SchemaRegistryCredential;
}

/**
 * The single place where a per-item failure is either turned into an error item (continueOnFail,
 * keeping pairedItem) or thrown as a NodeOperationError/NodeApiError carrying the item index.
 */
export function itemFailure(context: IExecuteFunctions, error: unknown, itemIndex: number, extra: IDataObject = {}): INodeExecutionData {
  if (!context.continueOnFail()) throw toNodeError(context.getNode(), error, itemIndex);
  const kafkaError = toKafkaSuiteError(error);
  return {
    json: {
      ...extra,
      error: kafkaError.message,
      errorKind: kafkaError.kind,
      retriable: kafkaError.retriable,
      ...(kafkaError.code ? { errorCode: kafkaError.code } : {}),
    },
    pairedItem: { item: itemIndex },
  };
}

export async function getConnectCredential(context: { getCredentials: IExecuteFunctions['getCredentials'] }): Promise<ConnectCredential> {
  return (await context.getCredentials(CONNECT_CREDENTIAL)) as unknown as ConnectCredential;
}
