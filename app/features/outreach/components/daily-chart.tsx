import { BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { useEffect, useState } from "react";
import { Bar } from "react-chartjs-2";
import { dailyBarChart, type DailySeries } from "~/features/outreach/timeline";

Chart.register(CategoryScale, LinearScale, BarElement, Legend, Tooltip);

/**
 * Bars per day drawn from the table next to it, only once scripts run (the
 * table is the content; without JavaScript it is all there is). `labels` are
 * the table's own day labels. Hidden from screen readers, which read the
 * table instead.
 */
export function DailyChart({ labels, series, direction }: { labels: string[]; series: DailySeries[]; direction: "ltr" | "rtl" }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted) return null;
  const { data, options } = dailyBarChart(labels, series, direction);
  return (
    <div className="chart" aria-hidden="true">
      <Bar data={data} options={options} />
    </div>
  );
}
