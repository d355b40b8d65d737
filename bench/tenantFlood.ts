import { createProject, setupTenant, type FactoryHost } from './factory';
import { fixedRate } from './load';

// The isolation row: one tenant floods the API with creates while another tenant reads at a steady
// rate; the reading tenant's latency before and during the flood, and how the flood was answered.

export interface FloodIsolation {
  /** The quiet tenant's point-read latencies (ms) before the flood and during it. */
  before: number[];
  during: number[];
  /** The flood's requests by answer: 201 created, 429 rate-limited, anything else. */
  created: number;
  limited: number;
  other: number;
  floodSeconds: number;
}

/**
 * `readsPerSecond` `GET …/projects/{p}` of the factory's own tenant for `durationMs`, then the same
 * while a second tenant's `floodConcurrency` clients POST small artifacts (distinct content, so every
 * one is a real create) back to back for as long. Bounded: loopback, fixed duration.
 */
export async function createFloodIsolation(factory: FactoryHost, options: { readsPerSecond: number; durationMs: number; floodConcurrency: number }): Promise<FloodIsolation> {
  const { api, tenant, host } = factory;
  await createProject(api, tenant, 'reads');
  const noisy = await setupTenant(api, 'noisy');
  await createProject(api, noisy, 'flood');
  const readUrl = () => `${host.origin}/api/tenants/${tenant.tenantId}/projects/reads`;
  const headers = { authorization: `Bearer ${tenant.viewer}` };
  await fixedRate(readUrl, options.readsPerSecond, 1000, headers); // warm-up
  const before = await fixedRate(readUrl, options.readsPerSecond, options.durationMs, headers);

  const counts = { created: 0, limited: 0, other: 0 };
  let running = true;
  let sequence = 0;
  const flooder = async () => {
    while (running) {
      const n = sequence++;
      const reply = await api.call('POST', `tenants/noisy/projects/flood/artifacts`, { key: noisy.admin, body: { kind: 'other', name: `flood/${n % 100}.txt`, content: `create ${n}` } });
      if (reply.status === 201) counts.created++;
      else if (reply.status === 429) counts.limited++;
      else counts.other++;
    }
  };
  const t0 = performance.now();
  const flood = Promise.all(Array.from({ length: options.floodConcurrency }, flooder));
  const during = await fixedRate(readUrl, options.readsPerSecond, options.durationMs, headers);
  running = false;
  await flood;
  return { before, during, ...counts, floodSeconds: (performance.now() - t0) / 1000 };
}
