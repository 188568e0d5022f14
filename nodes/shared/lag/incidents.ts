// Open/resolve incidents per group from successive statuses, Burrow-notifier style: one "open"
// when a group leaves OK, one "resolved" when it is back, nothing in between. Pure and JSON-only
// so it can live in workflow static data.
import type { GroupStatus } from './burrow';

export interface IncidentRecord {
  open: boolean;
  incidentId?: string;
  openedAt?: number;
  /** Status that opened the incident. */
  openedWith?: GroupStatus;
  /** Worst status seen while open. */
  worst?: GroupStatus;
  /** A change seen on fewer than `debouncePolls` consecutive polls so far. */
  pending?: { toOpen: boolean; count: number; since: number };
}

export type IncidentState = Record<string, IncidentRecord>;

export interface IncidentEvent {
  event: 'open' | 'resolved';
  group: string;
  incidentId: string;
  status: GroupStatus;
  openedAt: string;
  resolvedAt?: string;
  durationSeconds?: number;
  /** Statuses seen while the incident was open (for "resolved"). */
  worstStatus?: GroupStatus;
}

const RANK: Record<GroupStatus, number> = { OK: 0, WARN: 1, NOTFOUND: 2, ERR: 3 };

/**
 * Feeds one poll's group statuses through the debounce. `debouncePolls` = how many consecutive
 * polls a change must be seen on before it counts (1 = at once). Groups absent from `statuses`
 * keep their record untouched.
 */
export function stepIncidents(
  state: IncidentState,
  statuses: ReadonlyArray<{ group: string; status: GroupStatus }>,
  options: { debouncePolls: number; now: number; newId: () => string },
): { state: IncidentState; events: IncidentEvent[] } {
  const debounce = Math.max(1, Math.floor(options.debouncePolls));
  const events: IncidentEvent[] = [];
  for (const { group, status } of statuses) {
    const record: IncidentRecord = state[group] ?? { open: false };
    const unhealthy = status !== 'OK';
    if (record.open && unhealthy && record.worst && RANK[status] > RANK[record.worst]) record.worst = status;
    if (unhealthy === record.open) {
      delete record.pending;
      state[group] = record;
      continue;
    }
    const pending = record.pending && record.pending.toOpen === unhealthy ? record.pending : { toOpen: unhealthy, count: 0, since: options.now };
    pending.count++;
    if (pending.count < debounce) {
      record.pending = pending;
      state[group] = record;
      continue;
    }
    delete record.pending;
    if (unhealthy) {
      const incidentId = options.newId();
      state[group] = { open: true, incidentId, openedAt: pending.since, openedWith: status, worst: status };
      events.push({ event: 'open', group, incidentId, status, openedAt: new Date(pending.since).toISOString() });
    } else {
      const openedAt = record.openedAt ?? pending.since;
      events.push({
        event: 'resolved',
        group,
        incidentId: record.incidentId ?? options.newId(),
        status,
        openedAt: new Date(openedAt).toISOString(),
        resolvedAt: new Date(pending.since).toISOString(),
        durationSeconds: Math.max(0, (pending.since - openedAt) / 1000),
        worstStatus: record.worst,
      });
      state[group] = { open: false };
    }
  }
  return { state, events };
}
