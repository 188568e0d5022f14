import { KafkaSuiteError } from './errors';
import { registerSecret } from './secrets';
import { generateAuthTokenFromCredentialsProvider } from './vendor';

export interface MskIamOptions {
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

/**
 * AWS MSK IAM over SASL/OAUTHBEARER: the token is a SigV4-presigned `kafka-cluster:Connect` URL,
 * made by AWS's own signer (aws-msk-iam-sasl-signer-js). Tokens last 15 minutes; we make a new one
 * when less than a third of that is left.
 */
export function createMskIamTokenProvider(options: MskIamOptions): () => Promise<{ value: string }> {
  const { region, accessKeyId, secretAccessKey, sessionToken } = options;
  if (!accessKeyId || !secretAccessKey) {
    throw new KafkaSuiteError('AWS MSK IAM needs an access key ID and a secret access key', {
      kind: 'config',
      context: { field: accessKeyId ? 'awsSecretAccessKey' : 'awsAccessKeyId' },
    });
  }
  registerSecret(secretAccessKey);
  registerSecret(sessionToken);
  let cached: { value: string; expiryTime: number } | undefined;
  return async () => {
    if (cached && cached.expiryTime - Date.now() > 5 * 60_000) return { value: cached.value };
    try {
      const { token, expiryTime } = await generateAuthTokenFromCredentialsProvider({
        region,
        awsCredentialsProvider: async () => ({ accessKeyId, secretAccessKey, sessionToken: sessionToken || undefined }),
      });
      cached = { value: token, expiryTime };
      return { value: token };
    } catch (cause) {
      throw new KafkaSuiteError(`Could not sign the AWS MSK IAM token: ${(cause as Error).message}`, {
        kind: 'auth',
        cause,
        context: { mechanism: 'AWS_MSK_IAM' },
      });
    }
  };
}
