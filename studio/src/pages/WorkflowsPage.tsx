import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import type { Page, Workflow } from '../api/types';
import { useStudio } from '../app/context';
import { can } from '../app/roles';
import { Badge, duration, ErrorNote, Loading, Section, Time } from '../components/common';

const KINDS = ['ProjectBootstrap', 'SprintExecution'];
const STATUSES = ['Running', 'Completed', 'Failed', 'Rejected', 'Cancelled'];
const PERIODS: Record<string, number | undefined> = { any: undefined, '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3 };

/** The workflows of a project, newest first, filtered by kind, status and start time on the server, 25 a page. */
export function WorkflowsPage() {
  const { api, me, tenantId } = useStudio();
  const { project } = useParams<{ project: string }>();
  const [, navigate] = useLocation();
  const [filters, setFilters] = useState({ kind: '', status: '', period: 'any' });
  const [items, setItems] = useState<Workflow[]>();
  const [continuation, setContinuation] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const base = `tenants/${tenantId}/projects/${project}/workflows`;

  const load = async (from?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const window = PERIODS[filters.period];
      const page = await api.get<Page<Workflow>>(base, {
        limit: 25,
        continuation: from,
        kind: filters.kind || undefined,
        status: filters.status || undefined,
        since: window ? new Date(Date.now() - window).toISOString() : undefined,
      });
      setItems((prev) => (from ? [...(prev ?? []), ...page.items] : page.items));
      setContinuation(page.continuation);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void load();
    // Reload when the project or a filter changes (load reads them).
  }, [base, filters.kind, filters.status, filters.period]);

  const start = async (kind: string) => {
    setError(undefined);
    try {
      const workflow = await api.post<Workflow>(base, { kind });
      navigate(`/t/${tenantId}/p/${project}/workflows/${workflow.workflowId}`);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <h1>Workflows of {project}</h1>
      {can(me, 'runWorkflows') ? (
        <div className="row">
          <button type="button" onClick={() => start('ProjectBootstrap')}>
            Start ProjectBootstrap
          </button>
          <button type="button" className="secondary" onClick={() => start('SprintExecution')}>
            Start SprintExecution
          </button>
        </div>
      ) : null}
      <Section title="Filters">
        <form className="row" onSubmit={(e) => e.preventDefault()} aria-label="Workflow filters">
          <label>
            Kind
            <select value={filters.kind} onChange={(e) => setFilters({ ...filters, kind: e.target.value })}>
              <option value="">any</option>
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
          <label>
            Status
            <select value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })}>
              <option value="">any</option>
              {STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label>
            Started within
            <select value={filters.period} onChange={(e) => setFilters({ ...filters, period: e.target.value })}>
              {Object.keys(PERIODS).map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </label>
        </form>
      </Section>
      {error ? <ErrorNote error={error} /> : null}
      <Section title="Runs">
        {!items ? <Loading /> : null}
        {items && items.length === 0 ? <p className="muted">No workflow matches.</p> : null}
        {items?.length ? (
          <table aria-label="Workflows" data-testid="workflow-list">
            <thead>
              <tr>
                <th scope="col">Workflow</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Blueprint</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {items.map((w) => (
                <tr key={w.workflowId}>
                  <th scope="row">
                    <Link href={`/t/${tenantId}/p/${project}/workflows/${w.workflowId}`}>{w.workflowId}</Link>
                  </th>
                  <td>{w.kind}</td>
                  <td>
                    <Badge status={w.status} />
                  </td>
                  <td>v{w.blueprintVersion}</td>
                  <td>
                    <Time at={w.startedAt} />
                  </td>
                  <td>{duration(w.startedAt, w.finishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {continuation ? (
          <button type="button" className="secondary" onClick={() => load(continuation)} disabled={busy}>
            Load more
          </button>
        ) : null}
      </Section>
    </>
  );
}
