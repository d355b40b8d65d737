import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, ContainerClient, RestError } from '@azure/storage-blob';
import type { FactoryConfig } from '../config';
import type { BlobRef, BlobStore, HealthCheck } from '../ports';
import { contentHashOf, isContentHash } from './contentHash';

/** The settings the Blob adapter reads. */
export type AzureBlobSettings = Pick<FactoryConfig, 'BLOB_ACCOUNT_URL' | 'BLOB_CONNECTION_STRING' | 'BLOB_CONTAINER' | 'AZURE_CLIENT_ID'>;

/**
 * Content-addressed artifact content in one Blob Storage container: the blob name is the sha256
 * of the content. A `put` of content already stored uploads nothing; the blob keeps the content
 * type of its first upload (the returned ref carries the caller's). Build with {@link AzureBlobStore.connect}, which ensures the container.
 */
export class AzureBlobStore implements BlobStore {
  constructor(private readonly container: ContainerClient) {}

  /**
   * From `BLOB_CONNECTION_STRING` (Azurite) or `BLOB_ACCOUNT_URL` with `DefaultAzureCredential`
   * (user-assigned identity from `AZURE_CLIENT_ID`). With a connection string it creates
   * `BLOB_CONTAINER` when missing; with an account URL the container is infra/'s (Bicep declares it)
   * and nothing is called until first use.
   */
  static async connect(settings: AzureBlobSettings): Promise<AzureBlobStore> {
    const store = new AzureBlobStore(serviceClientFor(settings).getContainerClient(settings.BLOB_CONTAINER));
    if (settings.BLOB_CONNECTION_STRING) await store.container.createIfNotExists();
    return store;
  }

  async put(content: Buffer, contentType: string): Promise<BlobRef> {
    const contentHash = contentHashOf(content);
    const blob = this.container.getBlockBlobClient(contentHash);
    if (!(await blob.exists())) {
      try {
        await blob.uploadData(content, { blobHTTPHeaders: { blobContentType: contentType }, conditions: { ifNoneMatch: '*' } });
      } catch (error) {
        // A concurrent put of the same content won the race; the bytes are the same.
        if (!isStatus(error, 409) && !isStatus(error, 412)) throw error;
      }
    }
    return { contentHash, size: content.length, contentType };
  }

  async get(contentHash: string): Promise<Buffer | undefined> {
    if (!isContentHash(contentHash)) return undefined;
    try {
      return await this.container.getBlockBlobClient(contentHash).downloadToBuffer();
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async exists(contentHash: string): Promise<boolean> {
    return isContentHash(contentHash) && this.container.getBlockBlobClient(contentHash).exists();
  }

  /** Healthy when the container answers. */
  async check(): Promise<HealthCheck> {
    const base = { name: 'blobs', adapter: 'azure-blob', detail: this.container.containerName };
    try {
      await this.container.getProperties();
      return { ...base, ok: true };
    } catch (error) {
      return { ...base, ok: false, detail: `${this.container.containerName}: ${(error as Error).message}` };
    }
  }
}

function serviceClientFor(settings: AzureBlobSettings): BlobServiceClient {
  if (settings.BLOB_CONNECTION_STRING) return BlobServiceClient.fromConnectionString(settings.BLOB_CONNECTION_STRING);
  if (!settings.BLOB_ACCOUNT_URL) throw new Error('BLOB_ACCOUNT_URL or BLOB_CONNECTION_STRING is required for the Blob adapter.');
  const credential = new DefaultAzureCredential(settings.AZURE_CLIENT_ID ? { managedIdentityClientId: settings.AZURE_CLIENT_ID } : {});
  return new BlobServiceClient(settings.BLOB_ACCOUNT_URL, credential);
}

function isStatus(error: unknown, status: number): boolean {
  return error instanceof RestError && error.statusCode === status;
}
