import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiProblem } from '../api/problem';

export interface Resource<T> {
  data: T | undefined;
  error: ApiProblem | Error | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Loads `load()` when `key` changes, and again every `pollMs` while `poll(data)` says so (live
 * views of running workflows). Stale answers of an earlier key are dropped.
 */
export function useResource<T>(key: string | undefined, load: () => Promise<T>, options: { pollMs?: number; poll?: (data: T) => boolean } = {}): Resource<T> {
  const [state, setState] = useState<{ key?: string; data?: T; error?: ApiProblem | Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const pollRef = useRef(options);
  pollRef.current = options;

  useEffect(() => {
    if (key === undefined) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const data = await loadRef.current();
        if (!live) return;
        setState({ key, data, loading: false });
        const { pollMs, poll } = pollRef.current;
        if (pollMs && (!poll || poll(data))) timer = setTimeout(run, pollMs);
      } catch (error) {
        if (live) setState((prev) => ({ key, data: prev.key === key ? prev.data : undefined, error: error as Error, loading: false }));
      }
    };
    setState((prev) => ({ ...prev, loading: true }));
    void run();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const current = state.key === key;
  return { data: current ? state.data : undefined, error: current ? state.error : undefined, loading: !current || state.loading, reload };
}
