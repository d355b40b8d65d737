import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { CommitBarrier, Durability, processBarrier, WalGroupCommit } from './groupCommit';

export type Db = Database.Database;

/**
 * Opens the host's SQLite file under the data dir: WAL, synchronous=NORMAL (a commit survives a
 * process crash such as `kill -9`; only an OS crash can lose the last few), one writer.
 */
export function openDatabase(dataDir: string, file = 'host.sqlite'): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, file));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * The barrier that acknowledgements of writes to `db` wait on: none in `process` mode; in `fsync`
 * mode a group commit over its WAL (commits stay synchronous=NORMAL, one fsync makes a batch durable,
 * the equivalent of synchronous=FULL).
 */
export function commitBarrier(db: Db, durability: Durability): CommitBarrier {
  if (durability === 'process' || db.memory) return processBarrier;
  return new WalGroupCommit(`${db.name}-wal`, path.dirname(db.name));
}

/**
 * Takes the data dir for this process. A second live host on the same dir is refused; a lock
 * left by a killed host is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'host.lock');
  try {
    const pid = Number(fs.readFileSync(lockFile, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(`The data dir ${dataDir} is in use by another factory-host (pid ${pid}).`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.writeFileSync(lockFile, String(process.pid));
  return () => {
    try {
      if (Number(fs.readFileSync(lockFile, 'utf8')) === process.pid) fs.unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
