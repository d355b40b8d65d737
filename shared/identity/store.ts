import { Validation } from '../platform/http/errors';
import { StoreRequestError } from '../platform/store';

/** The container of API keys and role grants, partition `{ tenantId }`. */
export const IDENTITY_CONTAINER = 'identity';

/**
 * Runs a paged read; a continuation token the store refuses (forged, or from another query) is the
 * client's problem, reported at `query.continuation`, not a 500.
 */
export async function readPage<T>(continuation: string | undefined, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (continuation !== undefined && (error instanceof StoreRequestError || (error as { code?: unknown }).code === 400)) {
      throw new Validation([{ path: 'query.continuation', message: 'not a continuation token of this list' }]);
    }
    throw error;
  }
}
