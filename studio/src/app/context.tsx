import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client';
import type { Me } from '../api/types';

/** The signed-in principal and a client bound to its tenant. */
export interface Studio {
  api: ApiClient;
  me: Me;
  /** The tenant the pages show (the principal's own; any for PlatformAdmin). */
  tenantId: string;
  signOut(): void;
}

export const StudioContext = createContext<Studio | undefined>(undefined);

export function useStudio(): Studio {
  const studio = useContext(StudioContext);
  if (!studio) throw new Error('useStudio outside a signed-in Studio');
  return studio;
}
