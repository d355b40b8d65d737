import { useEffect, useState } from 'react';
import type { AuditEntry, Page, VerifyReport } from '../api/types';
import { useStudio } from '../app/context';
import { ErrorNote, Loading, Section, Time } from '../components/common';

/** The tenant's audit trail (oldest first, 50 a page, by time range; action filter over the loaded entries) and chain verification. */
export default function AuditPage() {
  const { api, tenantId } = useStudio();
  const [range, setRange] = useState({ from: '', to: '' });
  const [action, setAction] = useState('');
  const [items, setItems] = useState<AuditEntry[]>();
  const [continuation, setContinuation] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [report, setReport] = useState<VerifyReport>();
  const [verifying, setVerifying] = useState(false);

  const load = async (from?: string) => {
    setError(undefined);
    try {
      const page = await api.get<Page<AuditEntry>>(`tenants/${tenantId}/audit`, {
        limit: 50,
        continuation: from,
        from: range.from ? new Date(range.from).toISOString() : undefined,
        to: range.to ? new Date(range.to).toISOString() : undefined,
      });
      setItems((prev) => (from ? [...(prev ?? []), ...page.items] : page.items));
      setContinuation(page.continuation);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void load();
    // Reload when the tenant or the time range changes.
  }, [tenantId, range.from, range.to]);

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
