import { KafkaSuiteError } from './errors';
import { registerSecret } from './secrets';

export interface OAuthClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** Refresh once this fraction of the token's lifetime has passed. */
  refreshAtFraction?: number;
  fetchImpl?: typeof fetch;
  now?: () => number;
}

/**
 * OAUTHBEARER token provider (the suite's OAuthBearerProvider, platforms.ts): fetches an OAuth2 client-credentials token, caches it,
 * and fetches a new one once 80% of its lifetime has passed. The client library calls the provider on every
 * (re)authentication, so concurrent connections share one in-flight request.
 */
export function createOAuthClientCredentialsProvider(options: OAuthClientCredentials): () => Promise<{ value: string }> {
  const { tokenUrl, clientId, clientSecret, scope } = options;
  const refreshAt = options.refreshAtFraction ?? 0.8;
  const doFetch = options.fetchImpl ?? fetch;
  const now = options.now ?? Date.now;
  registerSecret(clientSecret);
  try {
    new URL(tokenUrl);
  } catch {
    throw new KafkaSuiteError(`OAuth token URL "${tokenUrl}" is not a URL`, { kind: 'config', context: { field: 'oauthTokenUrl' } });
  }

  let cached: { value: string; refreshAfter: number; expiresAt: number } | undefined;
  let inFlight: Promise<{ value: string }> | undefined;

  const requestToken = async (): Promise<{ value: string }> => {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) body.set('scope', scope);
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    registerSecret(basic);
    let response: Response;
    try {
      response = await doFetch(tokenUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (cause) {
      throw new KafkaSuiteError(`OAuth token request to ${tokenUrl} failed: ${(cause as Error).message}`, {
        kind: 'auth',
        retriable: true,
        cause,
        context: { mechanism: 'OAUTHBEARER' },
      });
    }
    const text = await response.text();
    if (!response.ok) {
      throw new KafkaSuiteError(`OAuth token endpoint ${tokenUrl} answered HTTP ${response.status}: ${text.slice(0, 200)}`, {
        kind: 'auth',
        retriable: response.status >= 500,
        context: { mechanism: 'OAUTHBEARER' },
      });
    }
    let parsed: { access_token?: string; expires_in?: number };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new KafkaSuiteError(`OAuth token endpoint ${tokenUrl} did not answer JSON`, { kind: 'auth', context: { mechanism: 'OAUTHBEARER' } });
    }
    if (!parsed.access_token) {
      throw new KafkaSuiteError(`OAuth token endpoint ${tokenUrl} answered without access_token`, { kind: 'auth', context: { mechanism: 'OAUTHBEARER' } });
    }
    registerSecret(parsed.access_token);
    const lifetimeMs = Math.max(1, Number(parsed.expires_in ?? 300)) * 1000;
    const issued = now();
    cached = { value: parsed.access_token, refreshAfter: issued + lifetimeMs * refreshAt, expiresAt: issued + lifetimeMs };
    return { value: parsed.access_token };
  };

  return async () => {
    if (cached && now() < cached.refreshAfter) return { value: cached.value };
    inFlight ??= requestToken().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
