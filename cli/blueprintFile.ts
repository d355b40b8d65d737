import fs from 'node:fs';
import { ApiError } from './errors';
import { UsageError } from './errors';

/** A blueprint read from a file (or `-` for stdin), with the content type its extension implies. */
export interface BlueprintFile {
  name: string;
  text: string;
  contentType: string;
}

export function readBlueprintFile(file: string): BlueprintFile {
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read blueprint file '${file}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const contentType = /\.json$/i.test(file) ? 'application/json' : 'application/yaml';
  return { name: file === '-' ? '<stdin>' : file, text, contentType };
}

/** Runs a call that sent the file; a refusal's problem paths are then shown as file:line:column. */
export async function withSource<T>(file: BlueprintFile, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) error.source = { name: file.name, text: file.text };
    throw error;
  }
}
