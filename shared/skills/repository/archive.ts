import archiver from 'archiver';
import { listFiles, readBlobBytes, resolveCommit } from './refs';

export type ArchiveFormat = 'tar.gz' | 'zip';

/**
 * A tar.gz or zip of every file at `ref`, under the folder `prefix/` (as `git archive --prefix`),
 * with executable bits kept. Returns the bytes and the commit archived.
 */
export async function archiveRef(gitdir: string, ref: string, format: ArchiveFormat, prefix: string): Promise<{ commit: string; content: Buffer }> {
  const commit = await resolveCommit(gitdir, ref);
  const files = await listFiles(gitdir, commit);
  const archive = format === 'zip' ? archiver('zip', { zlib: { level: 6 } }) : archiver('tar', { gzip: true, gzipOptions: { level: 6 } });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    archive.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.on('end', () => resolve());
    archive.on('error', reject);
  });
  for (const file of files) {
    archive.append(await readBlobBytes(gitdir, file.oid), { name: `${prefix}/${file.path}`, mode: file.mode === '100755' ? 0o755 : 0o644 });
  }
  await archive.finalize();
  await done;
  return { commit, content: Buffer.concat(chunks) };
}
