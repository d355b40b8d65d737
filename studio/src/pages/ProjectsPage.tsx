import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { ApiProblem } from '../api/problem';
import type { Page, Project, Workflow } from '../api/types';
import { useStudio } from '../app/context';
import { can } from '../app/roles';
import { useResource } from '../app/useResource';
import { Badge, ErrorNote, Loading, Section, Time } from '../components/common';

interface ProjectRow {
  project: Project;
  latest?: Workflow;
  /** Newest release and open drift findings: `null` when the factory has no delivery routes yet. */
  release?: Record<string, unknown> | null;
  drift?: number | null;
}

/** Reads an optional route: `null` when the route does not exist on this factory (feature not built yet). */
async function optional<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiProblem && (error.routeMissing || error.status === 404)) return null;
    throw error;
  }
}

export function ProjectsPage() {
  const { api, me, tenantId } = useStudio();
  const projects = useResource(`projects:${tenantId}`, async (): Promise<ProjectRow[]> => {
    const page = await api.get<Page<Project>>(`tenants/${tenantId}/projects`, { limit: 100 });
    return Promise.all(
      page.items.map(async (project) => {
        const base = `tenants/${tenantId}/projects/${project.projectId}`;
        const [workflows, releases, drift] = await Promise.all([
          api.get<Page<Workflow>>(`${base}/workflows`, { limit: 1 }),
          optional(() => api.get<Page<Record<string, unknown>>>(`${base}/releases`, { limit: 1 })),
          optional(() => api.get<Page<Record<string, unknown>>>(`${base}/drift`, { status: 'open', limit: 100 })),
        ]);
        return { project, latest: workflows.items[0], release: releases ? (releases.items[0] ?? {}) : null, drift: drift ? drift.items.length : null };
      }),
    );
  });

  return (
    <>
      <h1>Projects</h1>
      <Section title={`Projects of ${tenantId}`}>
        {projects.error ? <ErrorNote error={projects.error} /> : null}
        {projects.loading && !projects.data ? <Loading /> : null}
        {projects.data && projects.data.length === 0 ? <p className="muted">No projects yet.</p> : null}
        {projects.data?.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Latest workflow</th>
                <th scope="col">Started</th>
                <th scope="col">Release</th>
                <th scope="col">Drift</th>
                <th scope="col">Open</th>
              </tr>
            </thead>
            <tbody>
              {projects.data.map(({ project, latest, release, drift }) => (
                <tr key={project.projectId}>
                  <th scope="row">
                    {project.name} <span className="muted small">({project.projectId})</span>
                  </th>
                  <td>
                    {latest ? (
                      <Link href={`/t/${tenantId}/p/${project.projectId}/workflows/${latest.workflowId}`}>
                        {latest.kind} <Badge status={latest.status} />
                      </Link>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                  <td>{latest ? <Time at={latest.startedAt} /> : null}</td>
                  <td>{release === null ? <span className="muted">n/a</span> : release && Object.keys(release).length ? <Badge status={String(release.status ?? release.phase ?? 'release')} /> : <span className="muted">none</span>}</td>
                  <td>{drift === null || drift === undefined ? <span className="muted">n/a</span> : drift === 0 ? <Badge status="healthy" /> : <Badge status={`${drift} open`} />}</td>
                  <td className="links">
                    <Link href={`/t/${tenantId}/p/${project.projectId}/blueprint`}>Blueprint</Link> <Link href={`/t/${tenantId}/p/${project.projectId}/workflows`}>Workflows</Link>{' '}
                    <Link href={`/t/${tenantId}/p/${project.projectId}/artifacts`}>Artifacts</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Section>
      {can(me, 'createProject') ? <NewProject onCreated={projects.reload} /> : null}
    </>
  );
}

function NewProject({ onCreated }: { onCreated(): void }) {
  const { api, tenantId } = useStudio();
  const [projectId, setProjectId] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api.post(`tenants/${tenantId}/projects`, { projectId, name: name || projectId });
      setProjectId('');
      setName('');
      onCreated();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Section title="New project">
      <form className="row" onSubmit={submit}>
        <label>
          Project id
          <input value={projectId} onChange={(e) => setProjectId(e.target.value)} required pattern="[A-Za-z0-9][A-Za-z0-9_-]{0,62}" />
        </label>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit">Create project</button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
    </Section>
  );
}
