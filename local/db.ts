import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { CommitBarrier, Durability, processBarrier, WalGroupCommit } from './groupCommit';

export type Db = Database.Database;

/**
 * WAL pages between automatic checkpoints (SQLite's default is 1,000, 4 MB). A checkpoint runs inside
 * a commit, on the event loop, and fsyncs the WAL and the database file; a sequential orchestration
 * step rewrites the same few pages (its instance row, the inbox and work indexes), which one checkpoint
 * writes once however often they changed. With 10,000 pages (≈40 MB) checkpoints are ten times rarer
 * and do less than ten times the work: in a profile of the sequential bench the episode commit's
 * share of wall time fell from 20 % to 14 %.
 */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;
/** After a checkpoint lets the WAL restart, its file is truncated back to this size (bytes). */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** Makes the database, its WAL and shared-memory files owner-only (0600), also when they already existed. */
function ownerOnly(file: string): void {
  for (const name of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(name, 0o600);
    } catch {
      /* not created yet: the process umask covers it */
    }
  }
}

/**
 * Opens the host's SQLite file under the data dir: WAL, synchronous=NORMAL (a commit survives a
 * process crash such as `kill -9`; only an OS crash can lose the last few), one writer.
 */
export function openDatabase(dataDir: string, file = 'host.sqlite'): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, file));
  db.pragma('journal_mode = WAL');
  ownerOnly(path.join(dataDir, file));
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
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
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // owner-only: it holds the host keys and all data
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
