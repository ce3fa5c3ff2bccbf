import { CategoryScale, Chart, Legend, LinearScale, LineElement, PointElement, Tooltip } from "chart.js";
import { useEffect, useState } from "react";
import { Line } from "react-chartjs-2";

Chart.register(CategoryScale, LinearScale, PointElement, LineElement, Legend, Tooltip);

export interface ProgressSeries {
  label: string;
  values: number[];
  colour: string;
}

/**
 * A line chart drawn from the table next to it, only once scripts run (the
 * table is the content; without JavaScript it is all there is). Hidden from
 * screen readers, which read the table instead.
 */
export function ProgressChart({ labels, series, direction }: { labels: string[]; series: ProgressSeries[]; direction: "ltr" | "rtl" }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted) return null;
  return (
    <div className="chart" aria-hidden="true">
      <Line
        data={{
          labels,
          datasets: series.map((line) => ({ label: line.label, data: line.values, borderColor: line.colour, backgroundColor: line.colour, tension: 0.2 })),
        }}
        options={{
          animation: false,
          maintainAspectRatio: false,
          scales: { x: { reverse: direction === "rtl" }, y: { beginAtZero: true, position: direction === "rtl" ? "right" : "left", ticks: { precision: 0 } } },
          plugins: { legend: { rtl: direction === "rtl" } },
        }}
      />
    </div>
  );
}
