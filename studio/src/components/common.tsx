import type { ReactNode } from 'react';
import { ApiProblem } from '../api/problem';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

/** A failed call as the user should read it; a route that does not exist yet reads as "not available". */
export function ErrorNote({ error, feature }: { error: unknown; feature?: string }) {
  if (error instanceof ApiProblem && error.routeMissing) {
    return <p className="note">{feature ?? 'This feature'} is not available on this factory yet.</p>;
  }
  const problem = error instanceof ApiProblem ? error.problem : undefined;
  return (
    <div className="error" role="alert">
      <strong>{error instanceof ApiProblem ? `${error.status} ${problem?.title ?? ''}` : 'Error'}</strong> {error instanceof Error ? error.message : String(error)}
      {problem?.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.path + e.message}>
              <code>{e.path || '(body)'}</code> {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {problem?.traceId ? <div className="muted small">trace {problem.traceId}</div> : null}
    </div>
  );
}

const STATUS_TONE: Record<string, string> = {
  succeeded: 'ok', Completed: 'ok', completed: 'ok', approved: 'ok', valid: 'ok', passed: 'ok', healthy: 'ok',
  running: 'info', Running: 'info', waiting: 'warn', pending: 'warn', Pending: 'warn', escalated: 'warn',
  failed: 'bad', Failed: 'bad', rejected: 'bad', expired: 'bad', cancelled: 'muted', Cancelled: 'muted', Terminated: 'muted',
  active: 'ok', suspended: 'warn', deleted: 'muted',
};

export function Badge({ status }: { status: string }) {
  return <span className={`badge tone-${STATUS_TONE[status] ?? 'muted'}`}>{status}</span>;
}

export function Time({ at }: { at?: string }) {
  if (!at) return <span className="muted">—</span>;
  const date = new Date(at);
  return (
    <time dateTime={at} title={date.toISOString()}>
      {date.toLocaleString()}
    </time>
  );
}

export function duration(from: string, to?: string): string {
  const ms = (to ? Date.parse(to) : Date.now()) - Date.parse(from);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function Section({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="card" aria-label={title}>
      <header className="card-head">
        <h2>{title}</h2>
        {actions ? <div className="actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

/** "Load more" paging over a continuation token. */
export function Pager({ continuation, onMore, loading }: { continuation?: string; onMore: () => void; loading?: boolean }) {
  if (!continuation) return null;
  return (
    <button type="button" className="secondary" onClick={onMore} disabled={loading}>
      Load more
    </button>
  );
}
