import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fromTypedData, OutputBindingSink } from '../core/invoker';
import type { HostContext, HostSubsystem } from '../subsystem';

/**
 * Resolves the binding expressions of a blob path: `{rand-guid}`, `{DateTime}`, and names from the
 * invocation's binding data (e.g. `{backupPath}` from an activity's input), as Azure does.
 */
export function resolveBlobPath(template: string, bindingData: Record<string, unknown> = {}, now = new Date()): string {
  return template.replace(/\{([^{}]+)\}/g, (_, expression: string) => {
    const name = expression.trim().toLowerCase();
    if (name === 'rand-guid') return randomUUID();
    if (name === 'datetime') return now.toISOString().replace(/[:.]/g, '-');
    let value: unknown = bindingData;
    for (const part of name.split('.')) {
      value = value && typeof value === 'object' ? lookup(value as Record<string, unknown>, part) : undefined;
    }
    if (value === undefined || value === null || typeof value === 'object') throw new Error(`No value for named parameter '${expression}'.`);
    return String(value);
  });
}

function lookup(record: Record<string, unknown>, key: string): unknown {
  const hit = Object.keys(record).find((k) => k.toLowerCase() === key);
  return hit === undefined ? undefined : record[hit];
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
      blob: (fn, bindingName, data, _invocationId, bindingData) => {
        const template = String(fn.metadata.bindings[bindingName]?.path ?? `${bindingName}/{rand-guid}`);
        const relative = resolveBlobPath(template, bindingData);
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
