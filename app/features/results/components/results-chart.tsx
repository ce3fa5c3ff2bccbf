import { BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { useEffect, useState } from "react";
import { Bar } from "react-chartjs-2";

Chart.register(CategoryScale, LinearScale, BarElement, Legend, Tooltip);

export interface ChartSeries {
  label: string;
  /** One value per bar; null (suppressed) is drawn as nothing. */
  values: (number | null)[];
  colour: string;
}

/**
 * Horizontal bars drawn from the data table beside them, once scripts run:
 * stacked (one bar per question or matrix row, one segment per answer) or
 * side by side (multiple choice, where shares do not add up to 100 %).
 * Hidden from screen readers, who read the table; the figure's caption is
 * the text alternative.
 */
export function ResultsChart({
  bars,
  series,
  stacked,
  direction,
  percentLabel,
}: {
  bars: string[];
  series: ChartSeries[];
  stacked: boolean;
  direction: "ltr" | "rtl";
  percentLabel: (value: number) => string;
}) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted) return null;
  // Room for the bars, the axis and, for stacked bars, a legend of about three entries per line.
  const height = bars.length * (stacked ? 40 : 28) + 40 + (stacked ? Math.ceil(series.length / 3) * 24 : 0);
  return (
    <div className="chart results-chart" aria-hidden="true" style={{ height }}>
      <Bar
        data={{
          labels: bars,
          datasets: series.map((entry) => ({
            label: entry.label,
            data: entry.values.map((value) => value ?? 0),
            backgroundColor: entry.colour,
            barPercentage: 0.9,
            categoryPercentage: 0.9,
          })),
        }}
        options={{
          indexAxis: "y",
          animation: false,
          maintainAspectRatio: false,
          scales: {
            x: { stacked, reverse: direction === "rtl", min: 0, max: stacked ? 100 : undefined, ticks: { callback: (value) => percentLabel(Number(value)) } },
            y: { stacked, position: direction === "rtl" ? "right" : "left" },
          },
          plugins: {
            legend: { display: stacked, rtl: direction === "rtl", position: "bottom" },
            tooltip: { rtl: direction === "rtl", callbacks: { label: (item) => `${item.dataset.label ?? ""}: ${percentLabel(Number(item.raw))}` } },
          },
        }}
      />
    </div>
  );
}
