import { useEffect, useState, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { isWithheld, type Withheld } from "~/domain/anonymity";
import { chartLayout, chartSvg, textOn, type ChartInput, type ChartLayout, type PlacedSegment, type SvgWords } from "~/features/results/chart";

/**
 * A results chart drawn from the same suppressed counts as the table beside
 * it (chart.ts places the bars). On the page it is HTML: bars sized in
 * percent of the width, labels and legend that wrap like any text, mirrored
 * by the page's direction, and printed with the page; rendered on the
 * server, so it needs no script. It is hidden from screen readers, who read
 * the table. With scripts, it can be downloaded as SVG (chartSvg) or as PNG
 * (that SVG drawn onto a canvas), in the staff member's language.
 */
export function ResultsChart({
  input,
  total,
  title,
  titleId,
  fileName,
  apartTitle,
  percentLabel,
  withheldLabel,
}: {
  input: ChartInput;
  total: number;
  /** The question, as the downloaded file's heading. */
  title: string;
  /** The question's heading, which names the download buttons' group. */
  titleId: string;
  fileName: string;
  apartTitle: string;
  percentLabel: (value: number) => string;
  /** "< 5" or "hidden", written where a withheld count's bar would be. */
  withheldLabel: (kind: Withheld) => string;
}) {
  const layout = chartLayout(input, total);
  return (
    <div className="results-chart">
      <div className={`rchart rchart-${layout.kind}`} aria-hidden="true">
        {layout.legend.length ? (
          <ul className="rchart-legend">
            {layout.legend.map((entry) => (
              <li key={entry.key}>
                <span className="rchart-swatch" style={{ background: entry.colour }} />
                <bdi>{entry.label}</bdi>
              </li>
            ))}
          </ul>
        ) : null}
        {layout.kind === "histogram" ? (
          <Histogram layout={layout} percentLabel={percentLabel} withheldLabel={withheldLabel} />
        ) : (
          <Bars layout={layout} apartTitle={apartTitle} percentLabel={percentLabel} withheldLabel={withheldLabel} />
        )}
      </div>
      <ChartDownloads
        layout={layout}
        title={title}
        titleId={titleId}
        fileName={fileName}
        apartTitle={apartTitle}
        percentLabel={percentLabel}
        withheldLabel={withheldLabel}
      />
    </div>
  );
}

function segmentStyle(segment: PlacedSegment): CSSProperties {
  return { insetInlineStart: `${segment.start}%`, inlineSize: `${segment.width}%`, background: segment.colour, color: textOn(segment.colour) };
}

/** A share written inside its piece of bar when the piece is wide enough to hold it. */
function SegmentLabel({ segment, percentLabel, min }: { segment: PlacedSegment; percentLabel: (value: number) => string; min: number }) {
  return segment.share !== null && segment.width >= min ? <span className="rchart-value">{percentLabel(segment.share)}</span> : null;
}

function Ticks({ ticks, percentLabel }: { ticks: ChartLayout["ticks"]; percentLabel: (value: number) => string }) {
  return (
    <div className="rchart-ticks">
      {ticks.map((tick) => (
        <span key={tick.at} style={{ insetInlineStart: `${tick.at}%` }}>
          {percentLabel(tick.value)}
        </span>
      ))}
    </div>
  );
}

function Bars({
  layout,
  apartTitle,
  percentLabel,
  withheldLabel,
}: {
  layout: ChartLayout;
  apartTitle: string;
  percentLabel: (value: number) => string;
  withheldLabel: (kind: Withheld) => string;
}) {
  const apart = layout.apartTicks.length > 0;
  const diverging = layout.kind === "diverging";
  return (
    <div className={apart ? "rchart-grid with-apart" : "rchart-grid"}>
      <Ticks ticks={layout.ticks} percentLabel={percentLabel} />
      {apart ? (
        <div className="rchart-apart-head">
          <span className="rchart-apart-title">{apartTitle}</span>
        </div>
      ) : null}
      {layout.rows.map((row, index) => (
        <div className="rchart-row" key={index}>
          {row.label ? (
            <div className="rchart-label">
              <bdi>{row.label}</bdi>
            </div>
          ) : null}
          <div className="rchart-track">
            {layout.centre !== null ? <span className="rchart-centre" style={{ insetInlineStart: `${layout.centre}%` }} /> : null}
            {row.main.map((segment) =>
              diverging ? (
                <span key={segment.key} className="rchart-segment" style={segmentStyle(segment)}>
                  <SegmentLabel segment={segment} percentLabel={percentLabel} min={9} />
                </span>
              ) : (
                <span key={segment.key} className="rchart-bar">
                  <span className="rchart-fill" style={{ inlineSize: `${segment.width}%`, background: segment.colour }} />
                  {segment.share !== null ? (
                    <span className="rchart-after">{percentLabel(segment.share)}</span>
                  ) : isWithheld(segment.count) ? (
                    <span className="rchart-after rchart-withheld">{withheldLabel(segment.count)}</span>
                  ) : null}
                </span>
              ),
            )}
          </div>
          {apart ? (
            <div className="rchart-track rchart-apart">
              {row.apart.map((segment) => (
                <span key={segment.key} className="rchart-segment" style={segmentStyle(segment)}>
                  <SegmentLabel segment={segment} percentLabel={percentLabel} min={36} />
                </span>
              ))}
            </div>
          ) : null}
        </div>
      ))}
    </div>
  );
}

function Histogram({
  layout,
  percentLabel,
  withheldLabel,
}: {
  layout: ChartLayout;
  percentLabel: (value: number) => string;
  withheldLabel: (kind: Withheld) => string;
}) {
  return (
    <div className="rchart-histogram" style={{ gridTemplateColumns: `repeat(${layout.rows.length}, minmax(0, 1fr))` }}>
      {layout.rows.map((row, index) => {
        const segment = row.main[0]!;
        return (
          <div className="rchart-column" key={index}>
            <div className="rchart-column-plot">
              {segment.share !== null ? (
                <span className="rchart-value">{percentLabel(segment.share)}</span>
              ) : isWithheld(segment.count) ? (
                <span className="rchart-value rchart-withheld">{withheldLabel(segment.count)}</span>
              ) : null}
              <span className="rchart-column-bar" style={{ blockSize: `${segment.width}%`, background: segment.colour }} />
            </div>
            <span className="rchart-column-label">
              <bdi>{row.label}</bdi>
            </span>
          </div>
        );
      })}
    </div>
  );
}

function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Draws the SVG onto a canvas at twice its size (sharp on paper and high-density screens) and gives the PNG. */
async function svgToPng(svg: string): Promise<Blob> {
  const width = Number(/width="(\d+)"/.exec(svg)?.[1] ?? 960);
  const height = Number(/height="(\d+)"/.exec(svg)?.[1] ?? 400);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = width * 2;
  canvas.height = height * 2;
  const context = canvas.getContext("2d")!;
  context.scale(2, 2);
  context.drawImage(image, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no PNG"))), "image/png"));
}

function ChartDownloads({
  layout,
  title,
  titleId,
  fileName,
  apartTitle,
  percentLabel,
  withheldLabel,
}: {
  layout: ChartLayout;
  title: string;
  titleId: string;
  fileName: string;
  apartTitle: string;
  percentLabel: (value: number) => string;
  withheldLabel: (kind: Withheld) => string;
}) {
  const { t, i18n } = useTranslation("staff");
  // The buttons need scripts: without them they are not offered at all.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted) return null;
  const svg = () => {
    const words: SvgWords = { title, direction: i18n.dir(i18n.language), language: i18n.language, percent: percentLabel, apartTitle, withheld: withheldLabel };
    return chartSvg(layout, words);
  };
  const labelId = `${titleId}-download`;
  return (
    <p className="chart-downloads" role="group" aria-labelledby={`${labelId} ${titleId}`}>
      <span id={labelId}>{t("results.downloadChart")}</span>{" "}
      <button type="button" className="button secondary small" onClick={() => void svgToPng(svg()).then((blob) => download(blob, `${fileName}.png`))}>
        {t("results.downloadPng")}
      </button>{" "}
      <button type="button" className="button secondary small" onClick={() => download(new Blob([svg()], { type: "image/svg+xml" }), `${fileName}.svg`)}>
        {t("results.downloadSvg")}
      </button>
    </p>
  );
}
