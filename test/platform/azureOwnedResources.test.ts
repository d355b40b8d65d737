import { AzureBlobStore } from '../../shared/platform/blobs/azureBlobStore';
import { openStore } from '../../shared/platform/composition';
import { loadConfig } from '../../shared/platform/config';
import { CosmosDocumentStore } from '../../shared/platform/store/cosmosDocumentStore';

/**
 * In Azure, infra/ owns the Cosmos database, its containers and the blob container, and the app's
 * data-plane roles could not create them: building the adapters with the managed identity makes no
 * call at all (here any call would fail, the endpoints are closed ports). With a key or a connection
 * string (emulators) they are created, as test/platform/cosmosStore and azureBlobStore show.
 */
describe('resources infra/ owns', () => {
  const closed = 'https://127.0.0.1:9/';

  it('are not created by the Cosmos store built with the managed identity', async () => {
    const config = loadConfig({ COSMOS_ENDPOINT: closed, AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001' }, '/nonexistent');
    const store = await openStore(config, '/nonexistent');
    expect(store).toBeInstanceOf(CosmosDocumentStore);
  });

  it('are not created by the blob store built from the account URL', async () => {
    const store = await AzureBlobStore.connect({ BLOB_ACCOUNT_URL: closed, BLOB_CONTAINER: 'artifacts', AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001' });
    expect(store).toBeInstanceOf(AzureBlobStore);
  });
});
