// Recognises constraint violations from either driver, so stores can answer "conflict".
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The database cannot answer for now but will: unreachable or restarting (PostgreSQL's classes
 * 08 "connection exception" and 57P "operator intervention"), a connection cut, or SQLite's write
 * lock held past the busy timeout. Worth waiting out, unlike an error in the query itself.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const { code = '', message = '' } = (err ?? {}) as { code?: string; message?: string };
  return (
    UNREACHABLE.has(code) ||
    /^(08|57P)/.test(code) ||
    /^SQLITE_(BUSY|LOCKED)/.test(code) ||
    // pg's own error for a connection that dropped mid-query carries no code.
    message.startsWith('Connection terminated')
  );
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
