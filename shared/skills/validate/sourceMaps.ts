import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** Maps locations in emitted JavaScript back to the TypeScript sources, relative to the module folder. */
export class SourceLocator {
  private readonly maps = new Map<string, SourceMap | undefined>();

  constructor(private readonly dir: string) {}

  /** `jsFile` absolute (or a file:// URL), `line`/`column` 1-based; undefined outside the module folder. */
  locate(jsFile: string, line: number, column: number): SourceLocation | undefined {
    const file = jsFile.startsWith('file://') ? new URL(jsFile).pathname : jsFile;
    if (!file.startsWith(this.dir + path.sep)) return undefined;
    const map = this.mapOf(file);
    const entry = map?.findEntry(line - 1, Math.max(column - 1, 0)) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (!entry?.originalSource || entry.originalLine === undefined) return { file: this.relative(file), line, column };
    const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : path.resolve(path.dirname(file), entry.originalSource);
    return { file: this.relative(source), line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }

  /** The first stack frame inside the module folder (not its compiled-out runner files), mapped. */
  locateInStack(stack: string | undefined): SourceLocation | undefined {
    for (const match of (stack ?? '').matchAll(/\(?((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)\)?/g)) {
      const location = this.locate(match[1], Number(match[2]), Number(match[3]));
      if (location) return location;
    }
    return undefined;
  }

  private mapOf(file: string): SourceMap | undefined {
    if (!this.maps.has(file)) {
      const mapFile = `${file}.map`;
      this.maps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload) : undefined);
    }
    return this.maps.get(file);
  }

  private relative(file: string): string {
    return path.relative(this.dir, file).split(path.sep).join('/');
  }
}
