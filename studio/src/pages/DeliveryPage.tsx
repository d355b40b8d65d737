import { useParams } from 'wouter';
import { ApiProblem } from '../api/problem';
import type { Page, Project } from '../api/types';
import { useStudio } from '../app/context';
import { useResource } from '../app/useResource';
import { Badge, ErrorNote, Loading, Section, Time } from '../components/common';

type Row = Record<string, unknown>;

/** Reads a delivery collection; `null` when this factory has no such route yet (the delivery context is optional). */
async function optionalPage(load: () => Promise<Page<Row>>): Promise<Row[] | null> {
  try {
    return (await load()).items;
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return null;
    throw error;
  }
}

const text = (value: unknown) => (value === undefined || value === null ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** Environments as columns with each promotion's state (like Kargo), deployments with health and address, drift findings. */
export default function DeliveryPage() {
  const { api, tenantId } = useStudio();
  const { project } = useParams<{ project: string }>();
  const base = `tenants/${tenantId}/projects/${project}`;
  const data = useResource(`delivery:${base}`, async () => {
    const [info, promotions, deployments, drift] = await Promise.all([
      api.get<Project>(base),
      optionalPage(() => api.get(`${base}/promotions`, { limit: 100 })),
      optionalPage(() => api.get(`${base}/deployments`, { limit: 100 })),
      optionalPage(() => api.get(`${base}/drift-findings`, { limit: 100 })),
    ]);
    return { info, promotions, deployments, drift };
  });
  const d = data.data;
  const missing = d && d.promotions === null && d.deployments === null && d.drift === null;
  return (
    <>
      <h1>Delivery of {project}</h1>
      {data.error ? <ErrorNote error={data.error} /> : null}
      {!d && !data.error ? <Loading /> : null}
      {missing ? <p className="note">Releases, deployments and drift scans are not available on this factory yet; the environments below come from the project.</p> : null}
      {d ? (
        <>
          <Section title="Environments">
            <div className="columns" role="list">
              {d.info.environments.map((env) => {
                const promos = (d.promotions ?? []).filter((p) => p.environment === env);
                const deps = (d.deployments ?? []).filter((p) => p.environment === env);
                return (
                  <section key={env} className="column" role="listitem" aria-label={`Environment ${env}`}>
                    <h3>{env}</h3>
                    {promos.length === 0 && deps.length === 0 ? <p className="muted small">Nothing promoted yet.</p> : null}
                    {promos.map((p, i) => (
                      <div key={`p${i}`} className="tile">
                        <strong>{text(p.releaseId ?? p.release)}</strong> <Badge status={text(p.phase ?? p.status)} />
                        <div className="muted small">
                          <Time at={p.startedAt as string | undefined} />
                        </div>
                      </div>
                    ))}
                    {deps.map((p, i) => (
                      <div key={`d${i}`} className="tile">
                        {text(p.module)} <Badge status={text(p.health ?? p.status)} />
                        <div className="small">{p.url ? <code>{text(p.url)}</code> : null}</div>
                      </div>
                    ))}
                  </section>
                );
              })}
            </div>
          </Section>
          {d.drift ? (
            <Section title="Drift findings">
              {d.drift.length === 0 ? <p className="muted">No drift found.</p> : null}
              <ul>
                {d.drift.map((f, i) => (
                  <li key={i}>
                    <Badge status={text(f.status)} /> {text(f.environment)} · {text(f.module)} · {text(f.kind ?? f.type)} — {text(f.detail ?? f.message)}
                    {f.remediation ? <span className="muted small"> (remediation: {text(f.remediation)})</span> : null}
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
