import type { ChartConfiguration } from 'chart.js';
import { useMemo, useState, type FormEvent } from 'react';
import type { Totals, Usage } from '../api/types';
import { useStudio } from '../app/context';
import { can } from '../app/roles';
import { useResource } from '../app/useResource';
import { ErrorNote, Loading, Section } from '../components/common';
import { Chart } from '../components/Chart';

const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
const ACCENT = '#3b6fd8';
const BUDGET = '#d14343';

/** The days of the current month up to today, YYYY-MM-DD (UTC, as the usage periods are). */
function daysSoFar(now = new Date()): string[] {
  const out: string[] = [];
  for (let d = 1; d <= now.getUTCDate(); d++) out.push(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), d)).toISOString().slice(0, 10));
  return out;
}

/** Costs of the month: spend by day against the budget line, % used, and spend by agent role, skill and model. */
export default function CostsPage() {
  const { api, me, tenantId } = useStudio();
  const [project, setProject] = useState('');
  const key = `usage:${tenantId}:${project}`;
  const usage = useResource(key, async () => {
    const projectId = project || undefined;
    const month = await api.get<Usage>(`tenants/${tenantId}/usage`, { projectId });
    const days = await Promise.all(daysSoFar().map(async (day) => ({ day, usage: await api.get<Usage>(`tenants/${tenantId}/usage`, { period: day, projectId }) })));
    return { month, days };
  });

  const daily = useMemo<ChartConfiguration | undefined>(() => {
    if (!usage.data) return undefined;
    const { month, days } = usage.data;
    let running = 0;
    const cumulative = days.map((d) => (running += d.usage.totals.costUsd));
    const datasets: ChartConfiguration<'bar' | 'line'>['data']['datasets'] = [
      { type: 'bar', label: 'Spend per day (USD)', data: days.map((d) => d.usage.totals.costUsd), backgroundColor: ACCENT },
      { type: 'line', label: 'Spend this month (USD)', data: cumulative, borderColor: '#2f9e6e', pointRadius: 2 },
    ];
    if (month.budget.budgetUsd !== null) datasets.push({ type: 'line', label: 'Monthly budget (USD)', data: days.map(() => month.budget.budgetUsd), borderColor: BUDGET, borderDash: [6, 4], pointRadius: 0 });
    return { type: 'bar', data: { labels: days.map((d) => d.day.slice(8)), datasets }, options: { scales: { y: { beginAtZero: true } } } } as ChartConfiguration;
  }, [usage.data]);

  const m = usage.data?.month;
  const percent = m && m.budget.budgetUsd ? (m.budget.spentUsd / m.budget.budgetUsd) * 100 : undefined;
  return (
    <>
      <h1>Costs</h1>
      <div className="row">
        <label>
          Project (empty: whole tenant)
          <input value={project} onChange={(e) => setProject(e.target.value.trim())} placeholder="all projects" />
        </label>
      </div>
      {usage.error ? <ErrorNote error={usage.error} /> : null}
      {!usage.data && !usage.error ? <Loading /> : null}
      {m ? (
        <>
          <Section title={`Budget ${m.budget.period}`}>
            <p className="big" data-testid="budget-used">
              {usd(m.budget.spentUsd)} spent
              {m.budget.budgetUsd !== null ? ` of ${usd(m.budget.budgetUsd)} — ${percent!.toFixed(1)}% used` : ' — no budget set'}
              {m.budget.exceeded ? ' (exceeded)' : ''}
            </p>
            {percent !== undefined ? <meter min={0} max={100} low={80} high={100} optimum={0} value={Math.min(percent, 100)} aria-label="Budget used" /> : null}
            {can(me, 'setBudget') ? <BudgetForm projectId={project || undefined} current={m.budget.budgetUsd} onSaved={usage.reload} /> : null}
          </Section>
          <Section title="Spend by day">{daily ? <Chart config={daily} summary={`Spend by day in ${m.period}: ${usd(m.totals.costUsd)} in total${m.budget.budgetUsd !== null ? `, budget ${usd(m.budget.budgetUsd)}` : ''}.`} testId="cost-chart" /> : null}</Section>
          <div className="grid3">
            <Breakdown title="By agent role" rows={m.byAgentRole} />
            <Breakdown title="By skill" rows={m.bySkill} />
            <Breakdown title="By model" rows={m.byModel} />
          </div>
          <p className="muted small">Rolled up {m.rolledUpAt ? new Date(m.rolledUpAt).toLocaleString() : 'not yet'}; the budget figure includes usage not yet rolled up.</p>
        </>
      ) : null}
    </>
  );
}

function Breakdown({ title, rows }: { title: string; rows: (Totals & { name: string })[] }) {
  const config = useMemo<ChartConfiguration>(
    () => ({ type: 'bar', data: { labels: rows.map((r) => r.name), datasets: [{ label: 'USD', data: rows.map((r) => r.costUsd), backgroundColor: ACCENT }] }, options: { indexAxis: 'y', plugins: { legend: { display: false } } } }),
    [rows],
  );
  return (
    <Section title={title}>
      {rows.length ? <Chart config={config} summary={`${title}: ${rows.map((r) => `${r.name} ${usd(r.costUsd)}`).join(', ')}`} /> : <p className="muted">No usage yet.</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Cost</th>
            <th scope="col">Tokens in/out</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <td>{r.name}</td>
              <td>{usd(r.costUsd)}</td>
              <td>
                {r.tokensIn}/{r.tokensOut}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function BudgetForm({ projectId, current, onSaved }: { projectId?: string; current: number | null; onSaved(): void }) {
  const { api, tenantId } = useStudio();
  const [value, setValue] = useState(current === null ? '' : String(current));
  const [error, setError] = useState<unknown>();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api.put(`tenants/${tenantId}/budget`, { monthlyBudgetUsd: value === '' ? null : Number(value), ...(projectId ? { projectId } : {}) });
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form className="row" onSubmit={save}>
      <label>
        Monthly budget (USD)
        <input type="number" min={0} step="0.01" value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <button type="submit" className="secondary">
        Save budget
      </button>
      {error ? <ErrorNote error={error} /> : null}
    </form>
  );
}
