import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/errors.js';

/** An error as the drivers make them: a message, and a code on most. */
const driverError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('isDatabaseUnavailable', () => {
  it('knows a database that is away for now: unreachable, restarting, a connection cut, SQLite locked', () => {
    for (const err of [
      driverError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      driverError('read ECONNRESET', 'ECONNRESET'),
      driverError('Connection terminated unexpectedly'),
      driverError('terminating connection due to administrator command', '57P01'),
      driverError('the database system is starting up', '57P03'),
      driverError('connection failure', '08006'),
      driverError('database is locked', 'SQLITE_BUSY'),
      driverError('database table is locked', 'SQLITE_LOCKED'),
    ]) {
      expect(isDatabaseUnavailable(err), err.message).toBe(true);
    }
  });

  it('leaves errors in the query or the data to fail as they are', () => {
    for (const err of [
      driverError('duplicate key value violates unique constraint', '23505'),
      driverError('invalid input syntax for type integer', '22P02'),
      driverError('UNIQUE constraint failed: deliveries.id', 'SQLITE_CONSTRAINT_UNIQUE'),
      driverError('no such column: bogus', 'SQLITE_ERROR'),
      new Error('Campaign 3 has no compiled templates'),
      undefined,
    ]) {
      expect(isDatabaseUnavailable(err), String(err)).toBe(false);
    }
  });
});
