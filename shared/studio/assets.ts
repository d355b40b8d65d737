import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Where `vite build` writes the Studio (studio/vite.config.ts): dist/studio, beside this compiled file's dist/shared/studio. */
export const STUDIO_DIST = path.resolve(__dirname, '..', '..', 'studio');

/** One file ready to send. */
export interface StudioAsset {
  body: Buffer;
  /** The gzip form for text types, or undefined when compression would not pay. */
  gzip?: Buffer;
  contentType: string;
  cacheControl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Vite names everything under assets/ by content hash, so those never change; index.html must always be revalidated. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * The built Studio, read once from disk and kept in memory (a few MB). `resolve` maps a request
 * path to a file; paths without a file extension are client routes and get index.html (SPA
 * fallback); a missing file with an extension is `undefined` (404).
 */
export class StudioAssets {
  private readonly cache = new Map<string, StudioAsset>();

  constructor(private readonly root = STUDIO_DIST) {}

  /** True when a build exists (`npm run build` ran). */
  get built(): boolean {
    return fs.existsSync(path.join(this.root, 'index.html'));
  }

  /** The asset for a path below the Studio's mount (`''`, `assets/index-abc.js`, `workflows/x`). */
  resolve(relativePath: string): { asset: StudioAsset; fallback: boolean } | undefined {
    const clean = path.posix.normalize(`/${relativePath}`).replace(/^\/+/, '');
    if (clean === '' || clean === 'index.html') return this.file('index.html') && { asset: this.file('index.html')!, fallback: false };
    const found = this.file(clean);
    if (found) return { asset: found, fallback: false };
    if (path.posix.extname(clean) !== '') return undefined;
    const index = this.file('index.html');
    return index ? { asset: index, fallback: true } : undefined;
  }

  /** A file of the build, kept once read; misses are not remembered (any path can be asked for, the build's files are few). */
  private file(relative: string): StudioAsset | undefined {
    const cached = this.cache.get(relative);
    if (cached) return cached;
    const full = path.join(this.root, relative);
    if (!full.startsWith(this.root + path.sep) || !fs.existsSync(full) || !fs.statSync(full).isFile()) return undefined;
    const asset = toAsset(relative, fs.readFileSync(full));
    this.cache.set(relative, asset);
    return asset;
  }
}

function toAsset(relative: string, body: Buffer): StudioAsset {
  const contentType = CONTENT_TYPES[path.extname(relative).toLowerCase()] ?? 'application/octet-stream';
  const compressible = /^(text\/|application\/(json|manifest)|image\/svg)/.test(contentType) && body.length > 1024;
  return {
    body,
    gzip: compressible ? gzipSync(body, { level: 9 }) : undefined,
    contentType,
    cacheControl: relative.startsWith('assets/') ? IMMUTABLE : REVALIDATE,
  };
}
