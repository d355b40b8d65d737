import Database from 'better-sqlite3';
import { WriteBatch } from '../local/durable/writeBatch';

/** Steps and activity outcomes of concurrent instances share a transaction; a failing one fails alone. */
describe('durable write batch', () => {
  const open = () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
    return db;
  };
  const insert = (db: Database.Database, k: string, v: number | null) => () => db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(k, v).changes;
  const rows = (db: Database.Database) => db.prepare('SELECT k, v FROM t ORDER BY k').all();

  it('commits the writes submitted in one turn together, each caller getting its own result', async () => {
    const db = open();
    const batch = new WriteBatch(db);
    const results = await Promise.all([batch.submit(insert(db, 'a', 1)), batch.submit(insert(db, 'b', 2)), batch.submit(() => 'third')]);
    expect(results).toEqual([1, 1, 'third']);
    expect(batch.commits).toBe(1);
    expect(rows(db)).toEqual([{ k: 'a', v: 1 }, { k: 'b', v: 2 }]);
  });

  it('rolls back only the write that threw, with everything it had written, and commits the rest', async () => {
    const db = open();
    const batch = new WriteBatch(db);
    const failing = () => {
      insert(db, 'half', 9)();
      return insert(db, 'x', null)(); // NOT NULL: throws after the first insert of this write
    };
    const outcomes = await Promise.allSettled([batch.submit(insert(db, 'a', 1)), batch.submit(failing), batch.submit(insert(db, 'c', 3))]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
    expect(rows(db)).toEqual([{ k: 'a', v: 1 }, { k: 'c', v: 3 }]);
  });

  it('settles nothing before the commit, and rejects every write of a batch whose commit fails', async () => {
    const db = open();
    const batch = new WriteBatch(db);
    let settled = false;
    const pending = batch.submit(insert(db, 'a', 1)).then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(rows(db)).toEqual([]);
    await pending;
    db.close();
    const outcomes = await Promise.allSettled([batch.submit(() => 1), batch.submit(() => 2)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});
