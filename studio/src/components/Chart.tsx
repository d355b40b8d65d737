import { BarController, BarElement, CategoryScale, Chart as ChartJs, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import { useEffect, useRef } from 'react';

ChartJs.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

/** A Chart.js chart; `summary` is what a screen reader hears (the numbers are also in a table beside it). */
export function Chart({ config, summary, testId }: { config: ChartConfiguration; summary: string; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const style = getComputedStyle(document.documentElement);
    ChartJs.defaults.color = style.getPropertyValue('--fg').trim() || '#222';
    ChartJs.defaults.borderColor = style.getPropertyValue('--border').trim() || '#ccc';
    const chart = new ChartJs(ref.current, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart">
      <canvas ref={ref} role="img" aria-label={summary} data-testid={testId} />
    </div>
  );
}
