// What n8n logged about our package during a chaos run: every warning or error whose message names
// the package, its node types, the kafkajs bridge ("[kafka-suite ...]"), the trigger ("Kafka
// trigger:") or our bundled code (a stack through n8n-nodes-kafka-suite/dist), except the failures the
// test injects itself: the Code node's thrown error, and executions that failed because the test had
// killed the broker (inside an outage window). Matching the message only: n8n's own errors (SQLite
// busy in queue mode) carry our workflow and node names in their metadata without being about us.
import { INJECTED_FAILURE } from './scenario';

const OURS = /n8n-nodes-kafka-suite|kafka-?suite|kafkaSuite|Kafka trigger|Kafka Producer/i;
const PROBLEM = /^(warn|warning|error|fatal|crit)/i;

export interface Window {
  from: number;
  to: number;
}

/** `expected`: lines the test provokes on purpose (a poison message dead-lettered after its attempts). */
export function problemsAboutOurPackage(logText: string, injectedOutages: Window[] = [], expected: RegExp[] = []): string[] {
  const problems: string[] = [];
  for (const line of logText.split('\n')) {
    if (!line.trimStart().startsWith('{')) continue;
    let entry: { level?: string; message?: string; metadata?: { timestamp?: string } };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const message = String(entry.message ?? '');
    if (!PROBLEM.test(String(entry.level ?? '')) || !OURS.test(message) || message.includes(INJECTED_FAILURE)) continue;
    const at = Date.parse(entry.metadata?.timestamp ?? '');
    if (injectedOutages.some((w) => at >= w.from && at <= w.to)) continue;
    if (expected.some((pattern) => pattern.test(message))) continue;
    problems.push(line);
  }
  return problems;
}
