import * as http from 'node:http';
import * as https from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { KafkaSuiteError, toKafkaSuiteError } from './errors';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface HttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  tls?: ConnectionOptions;
  timeoutMs?: number;
}

/**
 * Plain node:http(s) rather than fetch: fetch in Node 20 cannot take a custom CA or client
 * certificate per request, which registry and Connect users behind private CAs need.
 */
export function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const url = new URL(request.url);
  const isHttps = url.protocol === 'https:';
  const transport = isHttps ? https : http;
  const timeoutMs = request.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: request.method ?? 'GET',
        headers: { accept: 'application/json', ...request.headers },
        ...(isHttps ? request.tls : {}),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => reject(toKafkaSuiteError(error, { broker: url.host })));
      },
    );
    req.on('timeout', () => {
      req.destroy(new KafkaSuiteError(`${url.host} did not answer within ${timeoutMs} ms`, { kind: 'timeout', retriable: true, context: { broker: url.host } }));
    });
    req.on('error', (error) => reject(toKafkaSuiteError(error, { broker: url.host })));
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}
