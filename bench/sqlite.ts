import { openDatabase } from '../local/db';
import { tempDir } from './children';

/**
 * Raw SQLite commit rate with the backend's own configuration (local/db.ts: WAL,
 * synchronous=NORMAL), or with synchronous=FULL (an fsync per commit, the reference for the
 * `fsync` durability mode, whose group commit shares one fsync among many commits): one single-row
 * INSERT per transaction, for `durationMs`.
 */
export function sqliteCommitsPerSecond(durationMs: number, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): number {
  const db = openDatabase(tempDir('factory-bench-sqlite-'), 'bench.sqlite');
  try {
    db.pragma(`synchronous = ${synchronous}`);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    const commit = db.transaction((body: string) => insert.run(body));
    const body = JSON.stringify({ EventType: 5, EventId: 1, Name: 'Noop', Input: '1', Timestamp: new Date().toISOString() });
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < durationMs) {
      for (let k = 0; k < 100; k++) commit(body);
      n += 100;
    }
    return n / ((performance.now() - t0) / 1000);
  } finally {
    db.close();
  }
}
