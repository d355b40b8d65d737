import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { ApiProblem } from '../api/problem';
import type { Approval, HistoryEvent, Page, Workflow } from '../api/types';
import { useStudio } from '../app/context';
import { can } from '../app/roles';
import { useResource } from '../app/useResource';
import { Badge, duration, ErrorNote, Loading, Section, Time } from '../components/common';
import { Gantt } from '../components/Gantt';

const POLL_MS = 1500;
const running = (w: Workflow) => w.status === 'Running';

/** One run: summary, live Gantt timeline, cancel, retry from the failed step, pending approvals and the durable history. */
export default function RunPage() {
  const { api, me, tenantId } = useStudio();
  const { project, workflowId } = useParams<{ project: string; workflowId: string }>();
  const path = `tenants/${tenantId}/projects/${project}/workflows/${workflowId}`;
  const run = useResource(path, () => api.get<Workflow>(path), { pollMs: POLL_MS, poll: running });
  const approvals = useResource(`${path}:approvals:${run.data?.timeline?.length ?? 0}:${run.data?.status}`, () =>
    api.get<Page<Approval>>(`tenants/${tenantId}/approvals`, { workflowId, status: 'pending' }),
  );
  const [action, setAction] = useState<{ error?: unknown; note?: string }>({});
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [reason, setReason] = useState('');

  const cancel = async () => {
    setConfirmCancel(false);
    try {
      await api.post(`${path}/cancel`, { reason: reason || 'cancelled from Studio' });
      setAction({ note: 'Cancelled.' });
      run.reload();
    } catch (error) {
      setAction({ error });
    }
  };
  const retry = async () => {
    try {
      await api.post(`${path}/retry`, {});
      setAction({ note: 'Retry started from the failed step.' });
      run.reload();
    } catch (error) {
      if (error instanceof ApiProblem && error.routeMissing) setAction({ note: 'Retry is not available on this factory yet.' });
      else setAction({ error });
    }
  };

  const w = run.data;
  return (
    <>
      <h1>
        Run {workflowId} {w ? <Badge status={w.status} /> : null}
      </h1>
      {run.error ? <ErrorNote error={run.error} /> : null}
      {!w && !run.error ? <Loading /> : null}
      {w ? (
        <>
          <Section
            title="Summary"
            actions={
              can(me, 'runWorkflows') ? (
                <>
                  {w.status === 'Running' ? (
                    <button type="button" className="danger" onClick={() => setConfirmCancel(true)}>
                      Cancel run
                    </button>
                  ) : null}
                  {w.status === 'Failed' ? (
                    <button type="button" onClick={retry}>
                      Retry from failed step
                    </button>
                  ) : null}
                </>
              ) : null
            }
          >
            {confirmCancel ? (
              <div className="confirm" role="alertdialog" aria-label="Confirm cancel">
                <label>
                  Reason
                  <input value={reason} onChange={(e) => setReason(e.target.value)} />
                </label>
                <button type="button" className="danger" onClick={cancel}>
                  Yes, cancel this run
                </button>
                <button type="button" className="secondary" onClick={() => setConfirmCancel(false)}>
                  Keep running
                </button>
              </div>
            ) : null}
            {action.note ? <p role="status">{action.note}</p> : null}
            {action.error ? <ErrorNote error={action.error} /> : null}
            <dl className="facts">
              <dt>Kind</dt>
              <dd>{w.kind}</dd>
              <dt>Blueprint</dt>
              <dd>v{w.blueprintVersion}</dd>
              <dt>Started</dt>
              <dd>
                <Time at={w.startedAt} /> by {w.requestedBy}
              </dd>
              <dt>Duration</dt>
              <dd>{duration(w.startedAt, w.finishedAt)}</dd>
              <dt>Trace</dt>
              <dd>
                <Link href={`/t/${tenantId}/audit?trace=${w.traceId}`} title="Everything this trace caused, in the audit trail">
                  <code>{w.traceId}</code>
                </Link>
              </dd>
              {w.summary?.commit ? (
                <>
                  <dt>Commit</dt>
                  <dd>
                    <code>{w.summary.commit.sha.slice(0, 12)}</code> on {w.summary.commit.branch}
                  </dd>
                </>
              ) : null}
              {w.summary ? (
                <>
                  <dt>Outcome</dt>
                  <dd>
                    {w.summary.outcome} · {w.summary.artifacts} artifacts
                  </dd>
                </>
              ) : null}
              {w.failure ? (
                <>
                  <dt>Failure</dt>
                  <dd className="error">{w.failure}</dd>
                </>
              ) : null}
            </dl>
          </Section>
          {approvals.data?.items.length ? (
            <Section title="Waiting for approval">
              <ul>
                {approvals.data.items.map((a) => (
                  <li key={a.id}>
                    {a.subject} ({a.gate}) — <Link href={`/t/${tenantId}/approvals?id=${encodeURIComponent(a.id)}`}>open in the inbox</Link>
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
          <Section title="Timeline" actions={w.status === 'Running' ? <span className="muted small" role="status">live</span> : null}>
            <Gantt steps={w.timeline ?? []} now={w.finishedAt ? Date.parse(w.finishedAt) : Date.now()} />
          </Section>
          <History path={`${path}/history`} />
        </>
      ) : null}
    </>
  );
}

function History({ path }: { path: string }) {
  const { api } = useStudio();
  const [open, setOpen] = useState(false);
  const [raw, setRaw] = useState(false);
  const history = useResource(open ? path : undefined, () => api.get<{ history: HistoryEvent[]; runtimeStatus: string }>(path));
  return (
    <Section
      title="Durable history"
      actions={
        <>
          <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide history' : 'Show history'}
          </button>
          {open ? (
            <button type="button" className="secondary" onClick={() => setRaw(!raw)}>
              {raw ? 'Table' : 'JSON'}
            </button>
          ) : null}
        </>
      }
    >
      {open && history.loading ? <Loading /> : null}
      {open && history.error ? <ErrorNote error={history.error} feature="The durable history" /> : null}
      {open && history.data && raw ? <pre className="code">{JSON.stringify(history.data.history, null, 2)}</pre> : null}
      {open && history.data && !raw ? (
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Event</th>
              <th scope="col">Name</th>
              <th scope="col">At</th>
            </tr>
          </thead>
          <tbody>
            {history.data.history.map((e, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td>{e.EventType}</td>
                <td>{String(e.Name ?? e.FunctionName ?? '')}</td>
                <td>
                  <Time at={e.Timestamp} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}
