import { LoggerProxy } from 'n8n-workflow';

export interface LogSink {
  error(message: string, meta?: object): void;
  warn(message: string, meta?: object): void;
  info(message: string, meta?: object): void;
  debug(message: string, meta?: object): void;
}

// n8n's LoggerProxy is the process-wide logger n8n initialises at start-up; pooled clients outlive
// any single execution, so they log there rather than to one execution's logger.
let sink: LogSink = LoggerProxy;
export function setLogSink(next: LogSink): void {
  sink = next;
}

/** Where the client libraries' log bridges (inside nodes/shared/kafka/) write: n8n's logger unless replaced. */
export function logSink(): LogSink {
  return sink;
}
