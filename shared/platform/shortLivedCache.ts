import type { DocumentStore } from './ports';

/**
 * How long a kept answer (a verified API key, a tenant's status) is trusted without reading the
 * store again, in ms. Within one process every write that changes such an answer drops it at once
 * (`invalidate`); another instance of the app (Azure, several instances) may act on the old
 * answer for at most this long.
 */
export const SHORT_LIVED_TTL_MS = 5_000;
/** Entries per store and kind at most; the oldest go first. */
const MAX_ENTRIES = 10_000;

/** One kept answer: the document it came from, the value, and a hard end of its own (e.g. a key's expiry). */
export interface KeptValue<T> {
  /** The document the value was read from; `invalidate(document)` drops it. */
  document: string;
  value: T;
  /** Epoch ms after which the value is wrong whatever happens (checked on every use). */
  expiresAt?: number;
}

interface Entry extends KeptValue<unknown> {
  until: number;
}

interface KindState {
  entries: Map<string, Entry>;
  /** Moves on every invalidation, so that a read that raced with a write is not kept. */
  generation: number;
}

// Per store rather than per service instance: every service of the process over the same store
// sees the same invalidations.
const byStore = new WeakMap<DocumentStore, Map<string, KindState>>();

function stateOf(store: DocumentStore, kind: string): KindState {
  let kinds = byStore.get(store);
  if (!kinds) byStore.set(store, (kinds = new Map()));
  let state = kinds.get(kind);
  if (!state) kinds.set(kind, (state = { entries: new Map(), generation: 0 }));
  return state;
}

/**
 * Answers read from the store and kept for at most `SHORT_LIVED_TTL_MS`, per store and `kind`.
 * Usage: `generation()` before the read, `put(key, generation, …)` after it (dropped if a write
 * invalidated meanwhile), and `invalidate(document)` before and after every write that changes
 * the answer.
 */
export class ShortLivedCache<T> {
  constructor(
    private readonly store: DocumentStore,
    private readonly kind: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The kept value for `key`, if within its time and its own expiry. */
  get(key: string): T | undefined {
    const { entries } = stateOf(this.store, this.kind);
    const entry = entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.until <= now || (entry.expiresAt !== undefined && entry.expiresAt <= now)) {
      entries.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  /** The generation to pass to `put`: take it before reading. */
  generation(): number {
    return stateOf(this.store, this.kind).generation;
  }

  /** Keeps a value read after `generation` was taken, unless something was invalidated since. */
  put(key: string, generation: number, kept: KeptValue<T>): void {
    const state = stateOf(this.store, this.kind);
    if (state.generation !== generation) return;
    if (state.entries.size >= MAX_ENTRIES) state.entries.delete(state.entries.keys().next().value!);
    state.entries.set(key, { ...kept, until: this.now() + SHORT_LIVED_TTL_MS });
  }

  /** Drops every value read from `document`, now. */
  invalidate(document: string): void {
    const state = stateOf(this.store, this.kind);
    state.generation++;
    for (const [key, entry] of state.entries) if (entry.document === document) state.entries.delete(key);
  }
}
