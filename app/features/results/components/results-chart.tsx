import type { CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { isWithheld, type Withheld } from "~/domain/anonymity";
import { chartLayout, textOn, type ChartInput, type ChartLayout, type PlacedSegment } from "~/features/results/chart";

/**
 * A results chart drawn from the same suppressed counts as the table beside
 * it (chart.ts places the bars). On the page it is HTML: bars sized in
 * percent of the width, labels and legend that wrap like any text, mirrored
 * by the page's direction, and printed with the page; rendered on the
 * server, so it needs no script. It is hidden from screen readers, who read
 * the table. It can be downloaded as SVG, drawn by the server (chartSvg, in
 * the staff member's language), and with the page's script as PNG (that SVG
 * drawn onto a canvas, results-page.js).
 */
export function ResultsChart({
  input,
  total,
  titleId,
  download,
  apartTitle,
  percentLabel,
  withheldLabel,
}: {
  input: ChartInput;
  total: number;
  /** The question's heading, which names the download buttons' group. */
  titleId: string;
  /** The SVG's address and the files' name without extension. */
  download: { href: string; fileName: string };
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
      <ChartDownloads titleId={titleId} download={download} />
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

/**
 * The SVG is a link (the server draws it); the PNG button is shown by the
 * page's script, which draws that SVG onto a canvas (results-page.js).
 */
function ChartDownloads({ titleId, download }: { titleId: string; download: { href: string; fileName: string } }) {
  const { t } = useTranslation("staff");
  const labelId = `${titleId}-download`;
  return (
    <p className="chart-downloads" role="group" aria-labelledby={`${labelId} ${titleId}`}>
      <span id={labelId}>{t("results.downloadChart")}</span>{" "}
      <button type="button" className="button secondary small" data-png-from={download.href} data-file-name={`${download.fileName}.png`} hidden>
        {t("results.downloadPng")}
      </button>{" "}
      <a className="button secondary small" href={download.href} download={`${download.fileName}.svg`}>
        {t("results.downloadSvg")}
      </a>
    </p>
  );
}
