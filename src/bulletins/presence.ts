// Who has a bulletin open in the composer. Each composer sends a heartbeat every few seconds; Redis
// keeps, per bulletin, one hash of who is there (a field per staff member or API token: name, since
// when, whether editing, last heartbeat). Someone with no heartbeat for PRESENCE_WINDOW_MS is gone:
// each heartbeat drops them from the hash, and the hash itself expires that long after the last
// one, so nothing grows. Presence is a courtesy: when Redis is away, nobody is shown, nothing fails.
import type { PresentViewer } from './schemas.js';
import type { RedisClient } from '../redis.js';

/** Someone without a heartbeat for this long has left. */
export const PRESENCE_WINDOW_MS = 30_000;

/** Who sends a heartbeat: `key` tells people apart (`staff:3`, `token:7`), the rest is what others see. */
export interface Viewer {
  key: string;
  kind: PresentViewer['kind'];
  name: string;
}

/**
 * KEYS[1]: the bulletin's hash. ARGV: now (ms), the window (ms), the viewer's key, their entry as
 * JSON. Drops those whose last heartbeat is a window old, writes the viewer's entry (keeping since
 * when they have been here), returns the others' entries. One script, so that two heartbeats at
 * once never drop each other's fresh entries.
 */
const HEARTBEAT = `
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local since, others = now, {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local entry = cjson.decode(all[i + 1])
  if entry.seen + window <= now then
    redis.call('HDEL', KEYS[1], all[i])
  elseif all[i] == ARGV[3] then
    since = entry.since
  else
    table.insert(others, all[i + 1])
  end
end
local mine = cjson.decode(ARGV[4])
mine.since, mine.seen = since, now
redis.call('HSET', KEYS[1], ARGV[3], cjson.encode(mine))
redis.call('PEXPIRE', KEYS[1], window)
return others
`;

interface Entry {
  kind: PresentViewer['kind'];
  name: string;
  editing: boolean;
  /** Epoch milliseconds. */
  since: number;
  seen: number;
}

export class BulletinPresence {
  constructor(
    private readonly redis: RedisClient,
    /** Where the hashes live in Redis, e.g. `pregon:presence`. */
    private readonly prefix: string,
    /** Epoch milliseconds; the tests move it on instead of waiting out the window. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the viewer's heartbeat; answers the others there, who came first first ([] when Redis is away). */
  async beat(bulletinId: number, viewer: Viewer, editing: boolean): Promise<PresentViewer[]> {
    const entry = JSON.stringify({ kind: viewer.kind, name: viewer.name, editing });
    let others: string[];
    try {
      others = (await this.redis.eval(
        HEARTBEAT,
        1,
        this.key(bulletinId),
        this.now(),
        PRESENCE_WINDOW_MS,
        viewer.key,
        entry,
      )) as string[];
    } catch {
      return [];
    }
    return others
      .map((json) => JSON.parse(json) as Entry)
      .sort((a, b) => a.since - b.since)
      .map(({ kind, name, editing, since }) => ({ kind, name, editing, since: new Date(since).toISOString() }));
  }

  /** The viewer closed the bulletin: gone for the others at once (and nothing to do when Redis is away). */
  async leave(bulletinId: number, viewerKey: string): Promise<void> {
    await this.redis.hdel(this.key(bulletinId), viewerKey).catch(() => {});
  }

  private key(bulletinId: number): string {
    return `${this.prefix}:${bulletinId}`;
  }
}
