// ListGroups (16) v5 with a types filter (KIP-848), the one way to list share groups: the versions
// client libraries send list classic (and consumer) groups only. Written in @platformatic/kafka's
// style like ./protocol.ts; checked against Kafka 4.4.0 in test/integration/shareGroup/adminLag.test.ts.
import type { Reader, Writer } from '../platformatic/vendor';

export const LIST_GROUPS = 16;
/** v5 added the types filter and the group type. */
export const LIST_GROUPS_VERSION = 5;

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: string;
  /** 'classic' | 'consumer' | 'share' | 'streams' */
  groupType: string;
}

export function writeListGroups(w: Writer, statesFilter: string[], typesFilter: string[]): Writer {
  return w
    .appendArray(statesFilter, (w, s) => w.appendString(s), true, false)
    .appendArray(typesFilter, (w, t) => w.appendString(t), true, false)
    .appendTaggedFields();
}

export function readListGroups(r: Reader): { throttleTimeMs: number; errorCode: number; groups: ListedGroup[] } {
  const throttleTimeMs = r.readInt32();
  const errorCode = r.readInt16();
  const groups = r.readArray((r) => ({ groupId: r.readString(), protocolType: r.readString(), groupState: r.readString(), groupType: r.readString() }));
  r.readTaggedFields();
  return { throttleTimeMs, errorCode, groups };
}
