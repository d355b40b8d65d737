import { useEffect, useState } from 'react';
import { useSearch } from 'wouter';
import type { AuditEntry, Page, VerifyReport } from '../api/types';
import { useStudio } from '../app/context';
import { ErrorNote, Loading, Section, Time } from '../components/common';

/**
 * The tenant's audit trail (oldest first, 50 a page, by time range or one trace — `?trace=` — ; action
 * filter over the loaded entries) and chain verification. A trace shows everything one request or
 * workflow caused: submit, workflow, artifacts, approvals, release, promotions, deployments.
 */
export default function AuditPage() {
  const { api, tenantId } = useStudio();
  const [range, setRange] = useState({ from: '', to: '' });
  const [action, setAction] = useState('');
  const linkedTrace = new URLSearchParams(useSearch()).get('trace') ?? '';
  const [trace, setTrace] = useState(linkedTrace);
  useEffect(() => setTrace(linkedTrace), [linkedTrace]);
  const traceId = TRACE_ID.test(trace.trim()) ? trace.trim() : undefined;
  const [items, setItems] = useState<AuditEntry[]>();
  const [continuation, setContinuation] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [report, setReport] = useState<VerifyReport>();
  const [verifying, setVerifying] = useState(false);

  const load = async (from?: string) => {
    setError(undefined);
    try {
      const page = await api.get<Page<AuditEntry>>(`tenants/${tenantId}/audit`, {
        // One trace is read whole (up to the API's page maximum); the full trail 50 at a time.
        limit: traceId ? 1000 : 50,
        continuation: from,
        from: range.from ? new Date(range.from).toISOString() : undefined,
        to: range.to ? new Date(range.to).toISOString() : undefined,
        traceId,
      });
      setItems((prev) => (from ? [...(prev ?? []), ...page.items] : page.items));
      setContinuation(page.continuation);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void load();
    // Reload when the tenant, the time range or the trace changes.
  }, [tenantId, range.from, range.to, traceId]);

  const verify = async () => {
    setVerifying(true);
    try {
      setReport(await api.get<VerifyReport>(`tenants/${tenantId}/audit/verify`));
    } catch (e) {
      setError(e);
    } finally {
      setVerifying(false);
    }
  };

  const shown = (items ?? []).filter((e) => !action || e.action.toLowerCase().includes(action.toLowerCase()));
  return (
    <>
      <h1>Audit</h1>
      <Section
        title="Chain"
        actions={
          <button type="button" onClick={verify} disabled={verifying}>
            Verify chain
          </button>
        }
      >
        {report ? (
          report.ok ? (
            <p className="ok" role="status" data-testid="verify-result">
              Chain intact: {report.checked} entries checked up to #{report.headSeq}.
            </p>
          ) : (
            <p className="error" role="alert" data-testid="verify-result">
              Chain broken at #{report.firstBroken?.seq} (entry {report.firstBroken?.entryId}): {report.firstBroken?.reason}. {report.checked} entries checked.
            </p>
          )
        ) : (
          <p className="muted">Every entry carries the hash of the one before it; verify recomputes the whole chain.</p>
        )}
      </Section>
      <Section title="Trail">
        <form className="row" aria-label="Audit filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            From
            <input type="datetime-local" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
          </label>
          <label>
            To
            <input type="datetime-local" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
          </label>
          <label>
            Trace id
            <input value={trace} onChange={(e) => setTrace(e.target.value)} placeholder="32 hex characters" size={34} aria-invalid={trace !== '' && !traceId} />
          </label>
          <label>
            Action contains
            <input value={action} onChange={(e) => setAction(e.target.value)} placeholder="Approval" />
          </label>
        </form>
        {error ? <ErrorNote error={error} /> : null}
        {!items && !error ? <Loading /> : null}
        {items ? (
          <table aria-label="Audit entries">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">At</th>
                <th scope="col">Action</th>
                <th scope="col">Subject</th>
                <th scope="col">Actor</th>
                <th scope="col">Trace</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.seq} className={report?.firstBroken?.seq === e.seq ? 'broken' : undefined}>
                  <td>{e.seq}</td>
                  <td>
                    <Time at={e.at} />
                  </td>
                  <td>{e.action}</td>
                  <td className="small">{e.subject ?? '—'}</td>
                  <td className="small">{e.actor ?? '—'}</td>
                  <td>
                    {e.traceId ? (
                      <button type="button" className="secondary small" title={`Show the entries of trace ${e.traceId}`} onClick={() => setTrace(e.traceId!)}>
                        {e.traceId.slice(0, 8)}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    <code className="small">{e.hash.slice(0, 10)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {continuation ? (
          <button type="button" className="secondary" onClick={() => load(continuation)}>
            Load more
          </button>
        ) : null}
      </Section>
    </>
  );
}

const TRACE_ID = /^[0-9a-f]{32}$/;

