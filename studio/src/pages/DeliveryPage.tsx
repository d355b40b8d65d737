import { useState } from 'react';
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

/**
 * The environment a finished release can be promoted to next (the server checks it again:
 * `POST …/releases/{id}/promotions` answers 409 out of order or already promoted).
 */
function nextEnvironment(release: Row, environments: string[]): string | undefined {
  if (release.status !== 'Succeeded') return undefined;
  const manifest = release.manifest as { environments?: { name: string }[] } | undefined;
  const reached = (manifest?.environments ?? []).map((e) => environments.indexOf(e.name));
  return environments[Math.max(-1, ...reached) + 1];
}

/** "Promote to <env>" for a finished release: starts the promotion, then reloads the page's data. */
function PromoteButton({ base, release, environment, onPromoted }: { base: string; release: Row; environment: string; onPromoted: () => void }) {
  const { api } = useStudio();
  const [state, setState] = useState<{ busy?: boolean; error?: unknown }>({});
  const promote = async () => {
    setState({ busy: true });
    try {
      await api.post(`${base}/releases/${encodeURIComponent(String(release.releaseId))}/promotions`, { environment });
      setState({});
      onPromoted();
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <>
      {' '}
      <button type="button" className="secondary" disabled={state.busy} onClick={promote}>
        Promote to {environment}
      </button>
      {state.error ? <ErrorNote error={state.error} /> : null}
    </>
  );
}

const text = (value: unknown) => (value === undefined || value === null ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** Environments as columns with each promotion's state (like Kargo), deployments with health and address, drift findings. */
export default function DeliveryPage() {
  const { api, tenantId } = useStudio();
  const { project } = useParams<{ project: string }>();
  const base = `tenants/${tenantId}/projects/${project}`;
  const data = useResource(`delivery:${base}`, async () => {
    const info = await api.get<Project>(base);
    // Promotions and deployments are per environment (GET …/environments/{env}/promotions|deployments).
    const perEnvironment = (kind: 'promotions' | 'deployments') =>
      Promise.all(info.environments.map((env) => optionalPage(() => api.get(`${base}/environments/${encodeURIComponent(env)}/${kind}`, { limit: 100 })))).then((pages) =>
        pages.every((p) => p === null) ? null : pages.flatMap((p) => p ?? []),
      );
    const [releases, promotions, deployments, drift] = await Promise.all([
      optionalPage(() => api.get(`${base}/releases`, { limit: 25 })),
      perEnvironment('promotions'),
      perEnvironment('deployments'),
      optionalPage(() => api.get(`${base}/drift`, { limit: 100 })),
    ]);
    return { info, releases, promotions, deployments, drift };
  });
  const d = data.data;
  const missing = d && d.releases === null && d.promotions === null && d.deployments === null && d.drift === null;
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
                        <strong>{text(p.releaseId)}</strong> <Badge status={text(p.phase)} />
                        <div className="muted small">
                          <Time at={p.startedAt as string | undefined} />
                        </div>
                      </div>
                    ))}
                    {deps.map((p, i) => (
                      <div key={`d${i}`} className="tile">
                        {text(p.module)} {text(p.version)} <Badge status={text(p.status)} />
                        <div className="small">{Array.isArray(p.endpoints) ? p.endpoints.map((url) => <code key={String(url)}>{String(url)} </code>) : null}</div>
                      </div>
                    ))}
                  </section>
                );
              })}
            </div>
          </Section>
          {d.releases ? (
            <Section title="Releases">
              {d.releases.length === 0 ? <p className="muted">No releases yet.</p> : null}
              <ul>
                {d.releases.map((r, i) => (
                  <li key={i}>
                    <strong>{text(r.version)}</strong> <Badge status={text(r.status)} /> {text(r.releaseId)} {r.environment ? `· ${text(r.environment)}` : ''} <Time at={r.createdAt as string | undefined} />
                    {r.failure ? <span className="muted small"> — {text(r.failure)}</span> : null}
                    {nextEnvironment(r, d.info.environments) ? <PromoteButton base={base} release={r} environment={nextEnvironment(r, d.info.environments)!} onPromoted={data.reload} /> : null}
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
          {d.drift ? (
            <Section title="Drift findings">
              {d.drift.length === 0 ? <p className="muted">No drift found.</p> : null}
              <ul>
                {d.drift.map((f, i) => (
                  <li key={i}>
                    <Badge status={text(f.status)} /> {text(f.environment)} · {text(f.module)} · {text(f.kind)} — expected {text(f.expected)}, found {text(f.actual)}
                    <span className="muted small">
                      {' '}
                      (last seen <Time at={f.lastSeenAt as string | undefined} />)
                    </span>
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
