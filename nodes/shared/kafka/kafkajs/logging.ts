// kafkajs' log lines → the suite's log sink (n8n's logger), scrubbed of secrets. Lives in the kafkajs
// implementation because it reads kafkajs' log entry shape and levels (issue 12).
import { logSink } from '../../logging';
import { scrubSecrets } from '../../secrets';
import { logLevel, type LogEntry, type logCreator } from './vendor';

/**
 * kafkajs logs at ERROR what it is about to retry, not only what failed for good:
 * - every error response and broken connection, in its Connection namespace (e.g. "coordinator is
 *   loading" on a fresh cluster, CONCURRENT_TRANSACTIONS while a transaction is being completed,
 *   ECONNREFUSED while a broker restarts);
 * - every failed attempt of a retried request, with `retryCount` in its metadata;
 * - a consumer crash ("Crash: ...", "Restarting the consumer in ..."), which the trigger reports
 *   itself, with its group and what happens next.
 * The final outcome reaches the node as an error (or the trigger as a crash event) when it matters,
 * so these lines are debug detail; a broker restart no longer fills n8n's log with errors.
 */
function isRetryDetail(namespace: string, message: string, meta: Record<string, unknown>): boolean {
  if (namespace === 'Connection') return true;
  // "The coordinator is not aware of this member, re-joining the group": a rebalance, handled by kafkajs.
  if (namespace === 'Runner' && /re-joining/i.test(message)) return true;
  if (meta.retryCount !== undefined) return true;
  return namespace === 'Consumer' && /^(Crash: |Restarting the consumer)/.test(message);
}

/**
 * kafkajs → n8n logging bridge. kafkajs INFO is chatty (every join/leave), so it goes to debug;
 * every line and its metadata pass through the secret scrubber.
 */
export const kafkajsLogCreator: logCreator = () => (entry: LogEntry) => {
  const { namespace, level, log } = entry;
  const sink = logSink();
  const { message, ...rest } = log as { message: string; [key: string]: unknown };
  const text = scrubSecrets(`[kafka-suite ${namespace}] ${message}`);
  let meta: object;
  try {
    meta = JSON.parse(scrubSecrets(JSON.stringify(rest)));
  } catch {
    meta = {};
  }
  if (level === logLevel.ERROR && isRetryDetail(namespace, String(message), rest)) sink.debug(text, meta);
  else if (level === logLevel.ERROR) sink.error(text, meta);
  // kafkajs advises against bounded retries on an idempotent producer. We bound them on purpose,
  // so an execution fails with an error instead of hanging while a cluster is down; that choice is
  // not a problem worth a warning in n8n's log on every start.
  // A rebalance makes kafkajs' Runner warn ("The group is rebalancing, re-joining"): that is a group
  // changing members (a deployment, an n8n restart), which the trigger logs itself at info.
  else if (level === logLevel.WARN && namespace === 'Runner' && /rebalancing|re-joining/i.test(String(message))) sink.info(text, meta);
  else if (level === logLevel.WARN && !/Limiting retries for the idempotent producer/.test(message)) sink.warn(text, meta);
  else sink.debug(text, meta);
};
