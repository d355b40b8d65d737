import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContainerClient } from '@azure/storage-blob';
import { AzureBlobStore } from '../../shared/platform/blobs';
import { repoRoot } from '../support/hostProcess';
import { blobStoreContract } from './blobStore.contract';

// The Blob adapter against Azurite: a child process on a free loopback port, in memory, loose.

/** Azurite's well-known development account (public, documented, emulator only). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const CONTAINER = 'artifacts-test';

interface Azurite {
  blobEndpoint: string;
  stop(): Promise<void>;
}

function startAzurite(): Promise<Azurite> {
  const main = path.join(repoRoot, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'factory-azurite-'));
  const args = ['--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--loose', '--skipApiVersionCheck', '--silent', '--disableTelemetry'];
  const child: ChildProcess = spawn(process.execPath, [main, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`Azurite exited with ${code}:\n${output.join('')}`)));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const m = /listens on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.join(''));
      if (!m) return;
      resolve({
        blobEndpoint: `${m[1]}/${DEV_ACCOUNT}`,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
          fs.rmSync(cwd, { recursive: true, force: true });
        },
      });
    });
  });
}

let azurite: Azurite | undefined;
let store: AzureBlobStore;
let container: ContainerClient;
let connectionString: string;

beforeAll(async () => {
  azurite = await startAzurite();
  connectionString = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=${azurite.blobEndpoint};`;
  store = await AzureBlobStore.connect({ BLOB_CONNECTION_STRING: connectionString, BLOB_CONTAINER: CONTAINER });
  container = new ContainerClient(connectionString, CONTAINER);
});

afterAll(() => azurite?.stop());

async function countBlobs(): Promise<number> {
  let count = 0;
  for await (const _blob of container.listBlobsFlat()) count++;
  return count;
}

blobStoreContract('azure-blob (Azurite)', () => ({ store, countObjects: countBlobs }));

describe('AzureBlobStore on Azurite', () => {
  it('names the blob by its hash and sets its content type on upload', async () => {
    const ref = await store.put(Buffer.from('{"kind":"blueprint"}'), 'application/json');
    const properties = await container.getBlockBlobClient(ref.contentHash).getProperties();
    expect(properties.contentType).toBe('application/json');
    expect(properties.contentLength).toBe(ref.size);
  });

  it('does not upload content that is already there', async () => {
    const content = Buffer.from('uploaded once');
    const ref = await store.put(content, 'text/plain');
    const blob = container.getBlockBlobClient(ref.contentHash);
    const { etag } = await blob.getProperties();
    await store.put(content, 'text/markdown');
    const after = await blob.getProperties();
    expect(after.etag).toBe(etag);
    expect(after.contentType).toBe('text/plain');
  });

  it('creates its container at start, and connecting again keeps what it holds', async () => {
    expect(await container.exists()).toBe(true);
    const ref = await store.put(Buffer.from('kept across connects'), 'text/plain');
    const again = await AzureBlobStore.connect({ BLOB_CONNECTION_STRING: connectionString, BLOB_CONTAINER: CONTAINER });
    expect((await again.get(ref.contentHash))?.toString()).toBe('kept across connects');
  });
});
