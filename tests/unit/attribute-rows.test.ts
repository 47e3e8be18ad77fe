// A subscriber's attributes as the staff app's rows (src/ui/subscribers/attribute-rows.ts): the
// type each stored value is edited as, the rows back to the API's object, and the messages that
// stop a save, each on its row.
import { describe, expect, it } from 'vitest';
import { Attributes } from '../../src/audience/schemas.js';
import {
  type EditableRow,
  inferType,
  issuesByRow,
  newRow,
  retype,
  toAttributes,
  toRows,
} from '../../src/ui/subscribers/attribute-rows.js';

const row = (id: number, key: string, type: EditableRow['type'], value: string): EditableRow => ({
  id,
  key,
  type,
  value,
});

describe('the type an attribute is edited as', () => {
  it('is Number for a number, Date for a real YYYY-MM-DD day and Text for any other text', () => {
    expect(inferType(42)).toBe('number');
    expect(inferType(-2.5)).toBe('number');
    expect(inferType('2025-01-31')).toBe('date');
    expect(inferType('2025-02-30')).toBe('text');
    expect(inferType('2025-01-31T10:00:00Z')).toBe('text');
    expect(inferType('42')).toBe('text');
    expect(inferType('')).toBe('text');
  });

  it('is none for what the rows cannot edit: true, null, lists and objects', () => {
    for (const value of [true, null, [1, 2], { a: 1 }]) expect(inferType(value)).toBeUndefined();
  });
});

describe('attributes as rows and back', () => {
  const stored = {
    city: 'Lisbon',
    age: 41,
    joined: '2024-05-01',
    volunteer: true,
    skills: ['print', 'phone'],
    address: { street: 'Rua A' },
    nothing: null,
  };

  it('gives back the very object it was read from, kinds and order and all', () => {
    const rows = toRows(stored);
    expect(rows.map((r) => [r.key, r.type])).toEqual([
      ['city', 'text'],
      ['age', 'number'],
      ['joined', 'date'],
      ['volunteer', 'kept'],
      ['skills', 'kept'],
      ['address', 'kept'],
      ['nothing', 'kept'],
    ]);
    const { attributes } = toAttributes(rows);
    expect(JSON.stringify(attributes)).toBe(JSON.stringify(stored));
  });

  it('stores a number as a JSON number and a date as its YYYY-MM-DD text, which the server accepts', () => {
    const rows = [
      row(1, 'city', 'text', 'Porto'),
      row(2, 'age', 'number', '2.5e1'),
      row(3, 'joined', 'date', '2025-03-14'),
    ];
    const { attributes } = toAttributes(rows);
    expect(attributes).toEqual({ city: 'Porto', age: 25, joined: '2025-03-14' });
    expect(Attributes.safeParse(attributes).success).toBe(true);
  });

  it('numbers a new row after the others, empty and as text', () => {
    expect(newRow(toRows({ a: 1, b: 2 }))).toEqual({ id: 3, key: '', type: 'text', value: '' });
    expect(newRow([]).id).toBe(1);
  });

  it('keeps a value through a change of type only when it reads as the new type', () => {
    expect(retype(row(1, 'n', 'text', '42'), 'number')).toMatchObject({ type: 'number', value: '42' });
    expect(retype(row(1, 'n', 'text', 'forty'), 'number')).toMatchObject({ type: 'number', value: '' });
    expect(retype(row(1, 'd', 'text', '2025-01-31'), 'date')).toMatchObject({ type: 'date', value: '2025-01-31' });
    expect(retype(row(1, 'd', 'text', '31/01/2025'), 'date')).toMatchObject({ type: 'date', value: '' });
    expect(retype(row(1, 'n', 'number', '7'), 'text')).toMatchObject({ type: 'text', value: '7' });
  });
});

describe('rows that cannot be saved', () => {
  it('names each row and input at fault, and gives no object', () => {
    const result = toAttributes([
      row(1, 'city', 'text', 'Lisbon'),
      row(2, '  ', 'text', 'x'),
      row(3, 'city', 'text', 'Porto'),
      row(4, 'constructor', 'text', 'x'),
      row(5, 'say "hi"', 'text', 'x'),
      row(6, 'age', 'number', 'forty'),
      row(7, 'size', 'number', ''),
      row(8, 'joined', 'date', ''),
    ]);
    expect(result.attributes).toBeUndefined();
    expect(result.problems).toEqual([
      { row: 1, field: 'key', message: 'must not be empty' },
      { row: 2, field: 'key', message: 'is already the key of attribute 1' },
      { row: 3, field: 'key', message: 'is a reserved name' },
      {
        row: 4,
        field: 'key',
        message: 'must be 1 to 64 characters without double quotes, backslashes or control characters',
      },
      { row: 5, field: 'value', message: 'must be a number' },
      { row: 6, field: 'value', message: 'must be a number' },
      { row: 7, field: 'value', message: 'must be a date' },
    ]);
  });

  it('refuses exactly the keys the server refuses', () => {
    for (const key of [
      'city',
      'a.b',
      'x'.repeat(64),
      'x'.repeat(65),
      'back\\slash',
      'tab\there',
      '__proto__',
      'prototype',
    ]) {
      const client = toAttributes([row(1, key, 'text', 'v')]).problems.length === 0;
      const server = Attributes.safeParse(Object.fromEntries([[key, 'v']])).success;
      expect(client, key).toBe(server);
    }
  });
});

describe("the server's messages about attributes", () => {
  const rows = [row(1, 'city', 'text', 'Lisbon'), row(2, 'a', 'text', 'x'), row(3, 'a.b', 'text', 'y')];

  it('go to the row of the key they name, the longest key a dotted path starts with', () => {
    const { byRow, unplaced } = issuesByRow(
      [
        { path: 'attributes.city', message: 'is a reserved name' },
        { path: 'attributes.a.b', message: 'is too long' },
        { path: 'attributes', message: 'must be an object' },
        { path: 'attributes.gone', message: 'is a reserved name' },
        { path: 'email', message: 'must be an email address' },
      ],
      rows,
    );
    expect([...byRow]).toEqual([
      [0, ['is a reserved name']],
      [2, ['is too long']],
    ]);
    expect(unplaced.map((i) => i.path)).toEqual(['attributes', 'attributes.gone']);
  });
});
