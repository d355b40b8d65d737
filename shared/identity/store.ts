
/** The container of API keys and role grants, partition `{ tenantId }`. */
export const IDENTITY_CONTAINER = 'identity';

