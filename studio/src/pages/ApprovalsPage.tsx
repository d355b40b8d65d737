import { useState } from 'react';
import { Link, useSearch } from 'wouter';
import type { Approval, Artifact, Page, Workflow } from '../api/types';
import { useStudio } from '../app/context';
import { canDecide } from '../app/roles';
import { useResource } from '../app/useResource';
import { Badge, ErrorNote, Loading, Section, Time } from '../components/common';
import { Markdown } from '../components/Markdown';
import { TextDiff } from '../components/TextDiff';

const STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'];

/** The approvals inbox: what is asked and why, the artifacts under decision, and approve/reject with a comment. */
export default function ApprovalsPage() {
  const { api, me, tenantId } = useStudio();
  const search = new URLSearchParams(useSearch());
  const [status, setStatus] = useState('pending');
  const [onlyMine, setOnlyMine] = useState(false);
  const [selected, setSelected] = useState<string | undefined>(search.get('id') ?? undefined);
  // A decision moves the approval out of the pending list; keep showing it (with its outcome) until another is picked.
  const [decided, setDecided] = useState<Approval>();
  const list = useResource(`approvals:${tenantId}:${status}`, () => api.get<Page<Approval>>(`tenants/${tenantId}/approvals`, { status, limit: 100 }), { pollMs: 5000 });
  const items = (list.data?.items ?? []).filter((a) => !onlyMine || canDecide(me, a));
  const current = items.find((a) => a.id === selected) ?? (decided && decided.id === selected ? decided : undefined) ?? items[0];
  const onDecided = (approval: Approval) => {
    setSelected(approval.id);
    setDecided(approval);
    list.reload();
  };

  return (
    <>
      <h1>Approvals</h1>
      <div className="row">
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={onlyMine} onChange={(e) => setOnlyMine(e.target.checked)} /> Only those I can decide
        </label>
      </div>
      {list.error ? <ErrorNote error={list.error} /> : null}
      {!list.data && !list.error ? <Loading /> : null}
      {list.data && items.length === 0 && !current ? <p className="muted">Nothing {status}.</p> : null}
      {items.length || current ? (
        <div className="split">
          <ul className="inbox" aria-label="Approvals">
            {items.map((a) => (
              <li key={a.id}>
                <button type="button" className={`inbox-item ${current?.id === a.id ? 'active' : ''}`} aria-pressed={current?.id === a.id} onClick={() => setSelected(a.id)}>
                  <strong>{a.subject}</strong>
                  <span className="small">
                    {a.gate} · <Badge status={a.status} /> {a.escalated ? <Badge status="escalated" /> : null}
                  </span>
                  <span className="muted small">
                    requested <Time at={a.requestedAt} />
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {current ? <ApprovalDetail key={current.id} approval={current} onDecided={onDecided} /> : null}
        </div>
      ) : null}
    </>
  );
}

function ApprovalDetail({ approval, onDecided }: { approval: Approval; onDecided(approval: Approval): void }) {
  const { api, me, tenantId } = useStudio();
  const [comment, setComment] = useState('');
  const [outcome, setOutcome] = useState<{ error?: unknown; note?: string }>({});
  const project = `tenants/${tenantId}/projects/${approval.projectId}`;
  const artifacts = useResource(`approval-artifacts:${approval.id}`, async () => {
    const page = await api.get<Page<Artifact>>(`${project}/artifacts`, { workflowId: approval.workflowId, limit: 200 });
    const documents = page.items.filter((a) => /markdown/.test(a.contentType));
    return Promise.all(documents.map(async (a) => ({ artifact: a, text: await api.text(`${project}/artifacts/${a.id}/content`) })));
  });
  const change = useResource(`approval-diff:${approval.id}`, () => blueprintChange(approval));

  async function blueprintChange(a: Approval): Promise<{ before: string; after: string; from: number; to: number } | null> {
    const workflow = await api.get<Workflow>(`${project}/workflows/${a.workflowId}`);
    if (workflow.kind === 'ProjectBootstrap' || workflow.blueprintVersion < 2) return null;
    const from = workflow.blueprintVersion - 1;
    const [before, after] = await Promise.all([
      api.text(`${project}/blueprints/${from}`, { format: 'yaml' }),
      api.text(`${project}/blueprints/${workflow.blueprintVersion}`, { format: 'yaml' }),
    ]);
    return { before, after, from, to: workflow.blueprintVersion };
  }

  const decide = async (decision: 'approve' | 'reject') => {
    setOutcome({});
    try {
      const result = await api.post<Approval>(`tenants/${tenantId}/approvals/${encodeURIComponent(approval.id)}/decision`, { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      setOutcome({ note: decision === 'approve' ? 'Approved.' : 'Rejected.' });
      onDecided(result);
    } catch (error) {
      setOutcome({ error });
    }
  };

  const allowed = canDecide(me, approval);
  return (
    <Section title={approval.subject}>
      <dl className="facts">
        <dt>Gate</dt>
        <dd>{approval.gate}</dd>
        <dt>Workflow</dt>
        <dd>
          <Link href={`/t/${tenantId}/p/${approval.projectId}/workflows/${approval.workflowId}`}>{approval.workflowId}</Link>
        </dd>
        <dt>Who decides</dt>
        <dd>
          {approval.eligibleRoles.join(', ')}
          {approval.escalated ? ' (escalated)' : ` · escalates to ${approval.escalationRoles.join(', ') || 'nobody'}`}
        </dd>
        {approval.escalatedAt ? (
          <>
            <dt>Escalated</dt>
            <dd>
              <Time at={approval.escalatedAt} />
            </dd>
          </>
        ) : null}
        {approval.expiresAt ? (
          <>
            <dt>Expires</dt>
            <dd>
              <Time at={approval.expiresAt} />
            </dd>
          </>
        ) : null}
        {approval.decidedBy ? (
          <>
            <dt>Decided</dt>
            <dd>
              {approval.status} by {approval.decidedBy} <Time at={approval.decidedAt} /> {approval.comment ? `— “${approval.comment}”` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {allowed ? (
        <div className="decision stack">
          <label>
            Comment
            <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={2000} />
          </label>
          <div className="row">
            <button type="button" onClick={() => decide('approve')}>
              Approve
            </button>
            <button type="button" className="danger" onClick={() => decide('reject')}>
              Reject
            </button>
          </div>
        </div>
      ) : approval.status === 'pending' ? (
        <p className="note">Your roles ({me.roles.join(', ')}) cannot decide this approval.</p>
      ) : null}
      {outcome.note ? <p role="status">{outcome.note}</p> : null}
      {outcome.error ? <ErrorNote error={outcome.error} /> : null}
      {change.data ? <TextDiff before={change.data.before} after={change.data.after} label={`Blueprint v${change.data.from} → v${change.data.to}`} /> : null}
      {change.error ? <ErrorNote error={change.error} /> : null}
      <h3>Under decision</h3>
      {artifacts.loading ? <Loading what="Loading the documents" /> : null}
      {artifacts.error ? <ErrorNote error={artifacts.error} /> : null}
      {artifacts.data?.length === 0 ? <p className="muted">No documents attached to this workflow yet.</p> : null}
      {artifacts.data?.map(({ artifact, text }) => (
        <article key={artifact.id} className="doc" aria-label={artifact.name}>
          <h4>
            {artifact.name} <span className="muted small">v{artifact.version} · {artifact.kind}</span>
          </h4>
          <Markdown text={text} />
        </article>
      ))}
    </Section>
  );
}
