/** Readiness paths tried in order: the generated-service contract, then the older `/ready`. */
export const READY_PATHS = ['/health/ready', '/ready'] as const;

/** True when the replica at `port` answers 200 on its readiness probe within `timeoutMs`. */
export async function probeReady(port: number, timeoutMs = 2000): Promise<boolean> {
  for (const probe of READY_PATHS) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${probe}`, { signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      if (res.status === 404) continue;
      return res.status === 200;
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * True once the replica at `port` answers ready, probing again (each probe up to 2 s, 200 ms apart)
 * until `withinMs` has passed. For replicas that already run: one slow answer on a busy machine must
 * not get a healthy replica replaced.
 */
export async function becomesReady(port: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await probeReady(port)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
