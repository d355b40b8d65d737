/**
 * Preloaded into a factory-host child (`NODE_OPTIONS=--require .../powerLossProbe.js`) to model what a
 * power loss would leave of its database: after every fsync of host.sqlite-wal completes, it saves the
 * database file and the WAL bytes that existed when that fsync started — the most the disk is known
 * to hold — as a new generation under POWER_LOSS_IMAGE, and points `current` at it. Checkpoints are
 * turned off for host.sqlite so that the database file does not change under the copy (SQLite syncs
 * its own checkpoints, which a copy here could not see).
 */
import fs from 'node:fs';
import path from 'node:path';

const imageDir = process.env.POWER_LOSS_IMAGE;
const hostDb = 'host.sqlite';

function install(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
   
  const Database = require(require.resolve('better-sqlite3', { paths: [process.cwd(), __dirname] })) as { prototype: { pragma(this: { name: string }, source: string): unknown } };
  const pragma = Database.prototype.pragma;
  Database.prototype.pragma = function patchedPragma(this: { name: string }, source: string) {
    if (path.basename(this.name) !== hostDb) return pragma.call(this, source);
    if (/wal_autocheckpoint\s*=/i.test(source)) return pragma.call(this, 'wal_autocheckpoint = 0');
    const result = pragma.call(this, source);
    if (/journal_mode\s*=\s*WAL/i.test(source)) pragma.call(this, 'wal_autocheckpoint = 0');
    return result;
  };

  let generation = 0;
  const fsync = fs.fsync;
  (fs as { fsync: typeof fs.fsync }).fsync = function patchedFsync(fd: number, callback: (error: NodeJS.ErrnoException | null) => void) {
    let wal: string | undefined;
    try {
      wal = fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      /* not a file */
    }
    if (!wal || path.basename(wal) !== `${hostDb}-wal`) return fsync(fd, callback);
    const syncedBytes = fs.fstatSync(fd).size;
    return fsync(fd, (error) => {
      if (!error) saveImage(dir, path.dirname(wal!), syncedBytes, ++generation);
      callback(error);
    });
  } as typeof fs.fsync;
}

function saveImage(dir: string, dataDir: string, walBytes: number, generation: number): void {
  const target = path.join(dir, `gen-${generation}`);
  fs.mkdirSync(target, { recursive: true });
  fs.copyFileSync(path.join(dataDir, hostDb), path.join(target, hostDb));
  const wal = Buffer.alloc(walBytes);
  const fd = fs.openSync(path.join(dataDir, `${hostDb}-wal`), 'r');
  try {
    fs.readSync(fd, wal, 0, walBytes, 0);
  } finally {
    fs.closeSync(fd);
  }
  fs.writeFileSync(path.join(target, `${hostDb}-wal`), wal);
  fs.writeFileSync(path.join(dir, 'current.tmp'), `gen-${generation}`);
  fs.renameSync(path.join(dir, 'current.tmp'), path.join(dir, 'current'));
}

if (imageDir) install(imageDir);
