// The Sql interface behaves the same on both backends: parameters, types, transactions.
import { describe, expect, it } from 'vitest';
import { BACKENDS, useDatabase } from './backends.ts';

describe.each(BACKENDS)('Sql on %s', (backend) => {
  const t = useDatabase(backend, { migrate: false });

  it('sends parameters and returns typed values: text[], int8 as number, timestamptz as Date, uuid', async () => {
    const at = new Date('2024-05-06T07:08:09.123Z');
    const { rows } = await t.db.sql.query(
      `SELECT $1::text[] AS list, count(*) AS n, $2::timestamptz AS at, '00000000-0000-0000-0000-000000000001'::uuid AS id,
              $3::boolean AS flag, $4::int AS nothing
       FROM generate_series(1, 3)`,
      [['a', 'b,c', 'd"e'], at, true, null],
    );
    expect(rows[0]).toEqual({
      list: ['a', 'b,c', 'd"e'],
      n: 3,
      at,
      id: '00000000-0000-0000-0000-000000000001',
      flag: true,
      nothing: null,
    });
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await t.db.sql.exec('CREATE TABLE tx_probe (v int); CREATE TABLE tx_probe2 (v int)');
    await t.db.sql.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe VALUES (1)');
    });
    await expect(
      t.db.sql.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await t.db.sql.query('SELECT v FROM tx_probe ORDER BY v');
    expect(rows).toEqual([{ v: 1 }]);
  });

  it('turns a nested transaction into a savepoint: its failure keeps the outer work', async () => {
    await t.db.sql.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe2 VALUES (10)');
      await expect(
        tx.transaction(async (inner) => {
          await inner.query('INSERT INTO tx_probe2 VALUES (11)');
          throw new Error('inner');
        }),
      ).rejects.toThrow('inner');
      await tx.transaction(async (inner) => {
        await inner.query('INSERT INTO tx_probe2 VALUES (12)');
      });
    });
    const { rows } = await t.db.sql.query('SELECT v FROM tx_probe2 ORDER BY v');
    expect(rows).toEqual([{ v: 10 }, { v: 12 }]);
  });

  it('reports rowCount for changes and the SQLSTATE of errors', async () => {
    const result = await t.db.sql.query('UPDATE tx_probe SET v = v + 1');
    expect(result.rowCount).toBe(1);
    await expect(t.db.sql.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
  });
});
