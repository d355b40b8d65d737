import type { Step } from '../api/types';
import { duration } from './common';

/**
 * The step timeline as a Gantt chart: one row per step (step, module, agent, skill, attempts) with a
 * bar from its start to its end (to now while it runs). The bars are decoration; every fact is in
 * the row's text for screen readers.
 */
export function Gantt({ steps, now }: { steps: Step[]; now: number }) {
  if (!steps.length) return <p className="muted">No step has started yet.</p>;
  const start = Math.min(...steps.map((s) => Date.parse(s.startedAt)));
  const end = Math.max(now, ...steps.map((s) => Date.parse(s.finishedAt ?? s.startedAt)));
  const span = Math.max(end - start, 1);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <>
    <div className="gantt-axis" aria-hidden="true">
      <span />
      <div className="gantt-scale">
        {ticks.map((t) => (
          <span key={t} style={{ left: `${t * 100}%` }}>
            {duration(new Date(start).toISOString(), new Date(start + t * span).toISOString())}
          </span>
        ))}
      </div>
    </div>
    <ol className="gantt" aria-label="Step timeline">
      {steps.map((s, index) => {
        const from = Date.parse(s.startedAt);
        const to = s.finishedAt ? Date.parse(s.finishedAt) : now;
        const left = ((from - start) / span) * 100;
        const width = Math.max(((to - from) / span) * 100, 0.6);
        return (
          <li key={`${s.step}-${index}`} className={`gantt-row status-${s.status}`} data-status={s.status}>
            <div className="gantt-label">
              <strong>{s.step}</strong>
              <span className="muted small">
                {[s.module, s.agent, s.skill, s.attempts > 1 ? `${s.attempts} attempts` : undefined, s.status, duration(s.startedAt, s.finishedAt ?? new Date(now).toISOString())].filter(Boolean).join(' · ')}
              </span>
              {s.failure ? <span className="error small">{s.failure}</span> : null}
            </div>
            <div className="gantt-track" aria-hidden="true">
              <div className="gantt-bar" style={{ marginLeft: `${left}%`, width: `${width}%` }} title={`${s.step}: ${duration(s.startedAt, s.finishedAt)}`} />
            </div>
          </li>
        );
      })}
    </ol>
    </>
  );
}
