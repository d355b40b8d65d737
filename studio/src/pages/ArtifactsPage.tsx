import { useMemo, useState } from 'react';
import { Link, useParams } from 'wouter';
import type { Artifact, Lineage, Page, Workflow } from '../api/types';
import { useStudio } from '../app/context';
import { useResource } from '../app/useResource';
import { Badge, ErrorNote, Loading, Section, Time } from '../components/common';
import { CodeView } from '../components/CodeView';
import { Markdown } from '../components/Markdown';
import { Mermaid } from '../components/Mermaid';
import { toLineageDiagram } from '../components/lineageDiagram';
import { loadDeliveryLineage } from '../components/deliveryLineage';
import { DeliveryLineageList } from '../components/DeliveryLineageList';

/** Artifacts by module and kind; one artifact's content (highlighted, or rendered Markdown/Mermaid) and lineage graph. */
export default function ArtifactsPage() {
  const { api, tenantId } = useStudio();
  const { project, artifactId } = useParams<{ project: string; artifactId?: string }>();
  const base = `tenants/${tenantId}/projects/${project}/artifacts`;
  const [filters, setFilters] = useState({ module: '', kind: '' });
  const list = useResource(`${base}:${filters.module}:${filters.kind}`, () => api.get<Page<Artifact>>(base, { module: filters.module || undefined, kind: filters.kind || undefined, limit: 1000 }));
  const all = useResource(`${base}:facets`, () => api.get<Page<Artifact>>(base, { limit: 1000 }));
  const modules = useMemo(() => [...new Set((all.data?.items ?? []).map((a) => a.module).filter((m): m is string => Boolean(m)))].sort(), [all.data]);
  const kinds = useMemo(() => [...new Set((all.data?.items ?? []).map((a) => a.kind))].sort(), [all.data]);
  const groups = useMemo(() => {
    const out = new Map<string, Artifact[]>();
    for (const a of list.data?.items ?? []) out.set(a.module ?? '(project)', [...(out.get(a.module ?? '(project)') ?? []), a]);
    return [...out.entries()];
  }, [list.data]);

  return (
    <>
      <h1>Artifacts of {project}</h1>
      <div className="split wide-right">
        <div>
          <form className="row" aria-label="Artifact filters" onSubmit={(e) => e.preventDefault()}>
            <label>
              Module
              <select value={filters.module} onChange={(e) => setFilters({ ...filters, module: e.target.value })}>
                <option value="">any</option>
                {modules.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </label>
            <label>
              Kind
              <select value={filters.kind} onChange={(e) => setFilters({ ...filters, kind: e.target.value })}>
                <option value="">any</option>
                {kinds.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            </label>
          </form>
          {list.error ? <ErrorNote error={list.error} /> : null}
          {!list.data && !list.error ? <Loading /> : null}
          {list.data?.items.length === 0 ? <p className="muted">No artifacts yet.</p> : null}
          <nav aria-label="Artifacts" className="tree">
            {groups.map(([module, items]) => (
              <section key={module} aria-label={module}>
                <h2 className="small">{module}</h2>
                <ul>
                  {items.map((a) => (
                    <li key={a.id}>
                      <Link href={`/t/${tenantId}/p/${project}/artifacts/${a.id}`} className={a.id === artifactId ? 'active' : undefined} aria-current={a.id === artifactId ? 'page' : undefined}>
                        {a.name}
                      </Link>{' '}
                      <span className="muted small">{a.kind}</span>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </nav>
        </div>
        <div>{artifactId ? <ArtifactDetail key={artifactId} base={base} artifactId={artifactId} /> : <p className="muted">Pick an artifact to see its content and lineage.</p>}</div>
      </div>
    </>
  );
}

function ArtifactDetail({ base, artifactId }: { base: string; artifactId: string }) {
  const { api, tenantId } = useStudio();
  const [source, setSource] = useState(false);
  const path = `${base}/${artifactId}`;
  const artifact = useResource(path, () => api.get<Artifact>(path));
  const content = useResource(`${path}/content`, () => api.text(`${path}/content`));
  const lineage = useResource(`${path}/lineage`, async () => {
    const graph = await api.get<Lineage>(`${path}/lineage`);
    const meta = await api.get<Artifact>(path);
    const projectBase = base.replace(/\/artifacts$/, '');
    const workflow = meta.workflowId ? await api.get<Workflow>(`${projectBase}/workflows/${meta.workflowId}`).catch(() => undefined) : undefined;
    const delivery = await loadDeliveryLineage(api, projectBase, workflow).catch(() => undefined);
    return { graph, workflow, delivery };
  });
  const a = artifact.data;
  const markdown = a ? /markdown/.test(a.contentType) : false;
  return (
    <>
      {artifact.error ? <ErrorNote error={artifact.error} /> : null}
      {a ? (
        <Section title={a.name}>
          <dl className="facts">
            <dt>Kind</dt>
            <dd>{a.kind}</dd>
            <dt>Module</dt>
            <dd>{a.module ?? '—'}</dd>
            <dt>Version</dt>
            <dd>
              v{a.version} · {a.size} bytes · <code>{a.contentHash.slice(0, 12)}</code>
            </dd>
            <dt>Made by</dt>
            <dd>
              {a.originatingAgent ?? '—'} {a.skill ? `(${a.skill})` : ''} <Time at={a.createdAt} />
            </dd>
            <dt>Validation</dt>
            <dd>
              <Badge status={a.validation.status} />
            </dd>
            {a.workflowId ? (
              <>
                <dt>Workflow</dt>
                <dd>
                  <Link href={`/t/${tenantId}/p/${base.split('/')[3]}/workflows/${a.workflowId}`}>{a.workflowId}</Link>
                </dd>
              </>
            ) : null}
          </dl>
        </Section>
      ) : null}
      <Section
        title="Content"
        actions={
          markdown ? (
            <button type="button" className="secondary" onClick={() => setSource(!source)}>
              {source ? 'Rendered' : 'Source'}
            </button>
          ) : null
        }
      >
        {content.error ? <ErrorNote error={content.error} /> : null}
        {content.data !== undefined && a ? markdown && !source ? <Markdown text={content.data} /> : <CodeView text={content.data} name={a.name} contentType={a.contentType} /> : <Loading />}
      </Section>
      <Section title="Lineage">
        {lineage.error ? <ErrorNote error={lineage.error} /> : null}
        {lineage.data ? (
          <>
            <Mermaid source={toLineageDiagram(lineage.data.graph, lineage.data.workflow, lineage.data.delivery)} label={`Lineage of ${a?.name ?? artifactId}`} />
            <ul className="small" aria-label="Lineage inputs">
              {lineage.data.graph.nodes
                .filter((n) => n.id !== artifactId)
                .map((n) => (
                  <li key={n.id}>
                    <Link href={`/t/${tenantId}/p/${base.split('/')[3]}/artifacts/${n.id}`}>{n.name}</Link> <span className="muted">{n.kind} · {n.depth} hop{n.depth === 1 ? '' : 's'} up</span>
                  </li>
                ))}
            </ul>
            {lineage.data.delivery ? <DeliveryLineageList delivery={lineage.data.delivery} tenantId={tenantId} project={base.split('/')[3]} /> : null}
          </>
        ) : (
          <Loading />
        )}
      </Section>
    </>
  );
}
