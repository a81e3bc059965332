/**
 * firstSeen and lastSeen (DESIGN §3) from a finding's dated occurrences: the oldest and the newest
 * commit that added the secret, by author date.
 *
 * Dates are compared as instants, never as text: git prints each date in its author's own offset, so
 * "2024-03-01T09:00:00+05:00" is earlier than "2024-03-01T05:00:00+00:00" although it sorts after it. And
 * the order occurrences arrive in (git log's, newest commit first by committer date; or path order after
 * sorting) says nothing about author dates, which rebases and cherry-picks leave out of order. Equal
 * instants are broken by commit id so the answer never depends on arrival order.
 */
import type { Occurrence } from '../types.js';

export interface SeenAt {
  commit: string;
  date: string;
}

export function firstAndLastSeen(occurrences: readonly Occurrence[]): { firstSeen: SeenAt | null; lastSeen: SeenAt | null } {
  let first: { at: number; seen: SeenAt } | undefined;
  let last: typeof first;
  for (const occurrence of occurrences) {
    if (occurrence.commit === undefined || occurrence.date === undefined) continue;
    const at = Date.parse(occurrence.date);
    if (Number.isNaN(at)) continue;
    const seen = { commit: occurrence.commit, date: occurrence.date };
    if (!first || at < first.at || (at === first.at && seen.commit < first.seen.commit)) first = { at, seen };
    if (!last || at > last.at || (at === last.at && seen.commit > last.seen.commit)) last = { at, seen };
  }
  return { firstSeen: first?.seen ?? null, lastSeen: last?.seen ?? null };
}
