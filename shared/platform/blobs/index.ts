export { AzureBlobStore, type AzureBlobSettings } from './azureBlobStore';
export { contentHashOf, isContentHash } from './contentHash';
export { FileBlobStore } from './fileBlobStore';
