import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fromTypedData, OutputBindingSink } from '../core/invoker';
import type { HostContext, HostSubsystem } from '../subsystem';

/** Resolves the binding expressions a blob path may hold that do not depend on trigger data. */
export function resolveBlobPath(template: string, now = new Date()): string {
  return template
    .replace(/\{rand-guid\}/gi, () => randomUUID())
    .replace(/\{datetime\}/gi, () => now.toISOString().replace(/[:.]/g, '-'));
}

/** `storageBlob` output bindings land as files under `<dataDir>/blobs/<container>/<name>`. */
export class BlobOutputs implements HostSubsystem {
  readonly bindingTypes = ['blob'];
  private root = '';

  start(context: HostContext): void {
    this.root = path.join(context.dataDir, 'blobs');
  }

  outputSinks(): Record<string, OutputBindingSink> {
    return {
      blob: (fn, bindingName, data) => {
        const template = String(fn.metadata.bindings[bindingName]?.path ?? `${bindingName}/{rand-guid}`);
        const relative = resolveBlobPath(template);
        const file = path.resolve(this.root, relative);
        if (!file.startsWith(this.root + path.sep)) throw new Error(`Blob path ${template} leaves the blob folder.`);
        const value = fromTypedData(data);
        const bytes = Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, bytes);
      },
    };
  }

  stop(): void {}
}
