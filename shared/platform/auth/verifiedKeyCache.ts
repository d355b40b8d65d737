import type { DocumentStore } from '../ports';

/**
 * How long a verified API key is trusted without reading its document again, in ms. Within one
 * process a revocation (or a new bootstrap key) drops the entries at once; another instance of the
 * app (Azure, several instances) may accept a revoked key for at most this long.
 */
export const VERIFIED_KEY_TTL_MS = 5_000;
/** Entries per store at most; the oldest go first. */
const MAX_ENTRIES = 10_000;

/** What a successful verification established: which key document, and until when it holds. */
export interface VerifiedKey<T> {
  /** `<tenant partition>/<document id>` of the key document. */
  document: string;
  /** The key's own expiry (epoch ms), checked on every use; `undefined` when it has none. */
  expiresAt?: number;
  value: T;
}

interface Entry<T> extends VerifiedKey<T> {
  until: number;
}

interface StoreEntries {
  entries: Map<string, Entry<unknown>>;
  /** Moves on every invalidation, so a verification that raced with one is not kept. */
  generation: number;
}

// Per store rather than per service: every ApiKeyService of the process over the same store sees
// the same invalidations.
const byStore = new WeakMap<DocumentStore, StoreEntries>();

function entriesOf(store: DocumentStore): StoreEntries {
  let state = byStore.get(store);
  if (!state) byStore.set(store, (state = { entries: new Map(), generation: 0 }));
  return state;
}

/**
 * Successful API-key verifications by token hash (SHA-256 hex; never the token), for at most
 * `VERIFIED_KEY_TTL_MS`. Failures are never kept: an unknown, revoked or expired key costs a read
 * every time, as before.
 */
export class VerifiedKeyCache<T> {
  constructor(
    private readonly store: DocumentStore,
    private readonly now: () => number,
  ) {}

  /** The cached verification of `hash`, if still within its time and the key's own expiry. */
  get(hash: string): T | undefined {
    const { entries } = entriesOf(this.store);
    const entry = entries.get(hash);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.until <= now || (entry.expiresAt !== undefined && entry.expiresAt <= now)) {
      entries.delete(hash);
      return undefined;
    }
    return entry.value as T;
  }

  /** The generation to pass to `put`: take it before reading the key document. */
  generation(): number {
    return entriesOf(this.store).generation;
  }

  /** Keeps a verification made from a read that started at `generation`, unless a key changed since. */
  put(hash: string, generation: number, verified: VerifiedKey<T>): void {
    const state = entriesOf(this.store);
    if (state.generation !== generation) return;
    if (state.entries.size >= MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!);
    state.entries.set(hash, { ...verified, until: this.now() + VERIFIED_KEY_TTL_MS });
  }

  /** Forgets every verification of the key document `document` (`<partition>/<id>`), now. */
  invalidate(document: string): void {
    const state = entriesOf(this.store);
    state.generation++;
    for (const [hash, entry] of state.entries) if (entry.document === document) state.entries.delete(hash);
  }
}
