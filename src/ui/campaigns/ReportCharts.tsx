// The report's charts (loaded on demand: Chart.js is large), each with the same numbers in a table
// beside it for those who cannot see the chart, and a description of them on the canvas itself.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartDataset,
  type Scale,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import type { CampaignReport, CampaignSummary, Comparison } from '../../sending/schemas';
import { formatDate, formatNumber, languageName } from '../components';

/** The columns of the comparison with earlier sends, after the send's name. */
const COMPARED = ['Sent', 'Delivered', 'Bounced', 'Complained', 'Unsubscribed', 'Clicks'] as const;

/** The head of a table of sends or languages: what each row is, then the COMPARED counts. */
function ComparedHead({ first }: { first: string }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        {COMPARED.map((label) => (
          <th key={label} scope="col" className="number">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

// Only the pieces the bar charts use, so the rest of Chart.js stays out of the bundle.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const COLOURS = {
  sent: '#4a5565',
  delivered: '#1d6b3a',
  bounced: '#b0221c',
  complained: '#8a5a00',
  unsubscribed: '#1f5fae',
  clicks: '#6a3d9a',
};

/** A colour per language in the clicks chart, in the order of the send's languages; the last for no language. */
const LANGUAGE_COLOURS = ['#6a3d9a', '#b35900', '#1f7a7a', '#a3326b', '#3b5b92', '#4a5565'];

export default function ReportCharts({
  report,
  comparison,
  blockLabel,
}: {
  report: CampaignReport;
  comparison: Comparison | undefined;
  blockLabel(index: number): string;
}) {
  const { outcomes } = report;
  const sent = report.counts.sent;
  return (
    <div className="report">
      <section aria-labelledby="delivery-chart-title">
        <h3 id="delivery-chart-title">Delivered</h3>
        <p className="muted chart-note">
          Messages handed to SES, and those SES reports the receiving server took
          {sent > 0 &&
            outcomes.delivered === 0 &&
            ' (none reported yet: SES reports deliveries through SNS, when it is set up)'}
          .
        </p>
        <ChartWithTable
          chart={{
            labels: ['Sent', 'Delivered'],
            datasets: [
              {
                label: 'Messages',
                data: [sent, outcomes.delivered],
                backgroundColor: [COLOURS.sent, COLOURS.delivered],
              },
            ],
          }}
          rows={[
            ['Sent', sent],
            ['Delivered', outcomes.delivered],
          ]}
          sent={sent}
        />
      </section>
      <section aria-labelledby="trouble-chart-title">
        <h3 id="trouble-chart-title">Bounces, complaints and unsubscribes</h3>
        <p className="muted chart-note">
          People whose address bounced for good, who marked it as spam, or who left through its links.
        </p>
        <ChartWithTable
          chart={{
            labels: ['Bounced', 'Complained', 'Unsubscribed'],
            datasets: [
              {
                label: 'People',
                data: [outcomes.bounced, outcomes.complained, outcomes.unsubscribed],
                backgroundColor: [COLOURS.bounced, COLOURS.complained, COLOURS.unsubscribed],
              },
            ],
          }}
          rows={[
            ['Bounced', outcomes.bounced],
            ['Complained', outcomes.complained],
            ['Unsubscribed', outcomes.unsubscribed],
          ]}
          sent={sent}
        />
      </section>
      <section aria-labelledby="languages-title" className="report-wide">
        <h3 id="languages-title">By language</h3>
        <p className="muted chart-note">
          Each reader counted in the language of the mail they got; the share is of that language’s messages sent.
        </p>
        <ByLanguage report={report} />
      </section>
      <section aria-labelledby="clicks-chart-title" className="report-wide">
        <h3 id="clicks-chart-title">Clicks per block and link</h3>
        <Clicks report={report} blockLabel={blockLabel} />
      </section>
      <section aria-labelledby="comparison-title" className="report-wide">
        <h3 id="comparison-title">Compared with earlier sends</h3>
        {comparison ? (
          <ComparisonReport comparison={comparison} />
        ) : (
          <p className="muted">Loading the earlier sends…</p>
        )}
      </section>
    </div>
  );
}

/** The languages of the send's mail, and any a click was counted under. */
function sendLanguages(report: CampaignReport): string[] {
  const codes = new Set(Object.keys(report.outcomesByLanguage));
  for (const link of report.links) for (const code of Object.keys(link.byLanguage)) codes.add(code);
  return [...codes].sort();
}

function ByLanguage({ report }: { report: CampaignReport }) {
  const languages = Object.keys(report.outcomesByLanguage).sort();
  if (languages.length === 0) return <p className="muted">Nothing has been sent yet.</p>;
  const columns = ['delivered', 'bounced', 'complained', 'unsubscribed', 'clicks'] as const;
  return (
    <div className="table-wrap row-headed">
      <table>
        <caption className="visually-hidden">
          Messages sent, delivered, bounced, complained of, unsubscribed from and clicks, by the language of the mail
        </caption>
        <ComparedHead first="Language" />
        <tbody>
          {languages.map((code) => {
            const results = report.outcomesByLanguage[code]!;
            return (
              <tr key={code}>
                <th scope="row">{languageName(code)}</th>
                <td className="number">{formatNumber(results.sent)}</td>
                {columns.map((key) => (
                  <td key={key} className="number">
                    {results[key] === null
                      ? 'not counted'
                      : `${formatNumber(results[key])} (${percent(results.sent ? results[key] / results.sent : null)})`}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Clicks({ report, blockLabel }: { report: CampaignReport; blockLabel(index: number): string }) {
  if (report.tracking === 'off')
    return <p className="muted">Link tracking was off for this send (a sensitive send): no link was counted.</p>;
  if (report.links.length === 0) return <p className="muted">This bulletin has no link that could be counted.</p>;
  const languages = sendLanguages(report);
  const inLanguage = (l: CampaignReport['links'][number], code: string) => l.byLanguage[code] ?? 0;
  // Clicks on links in mail sent before the language was in them: in each link's total only.
  const unknown = (l: CampaignReport['links'][number]) =>
    l.clicks - languages.reduce((sum, code) => sum + inLanguage(l, code), 0);
  const unattributed = report.links.reduce((sum, l) => sum + unknown(l), 0);
  const datasets = [
    ...languages.map((code, i) => ({
      label: languageName(code),
      data: report.links.map((l) => inLanguage(l, code)),
      backgroundColor: LANGUAGE_COLOURS[i % (LANGUAGE_COLOURS.length - 1)]!,
    })),
    ...(unattributed > 0
      ? [{ label: 'Language not known', data: report.links.map(unknown), backgroundColor: LANGUAGE_COLOURS.at(-1)! }]
      : []),
  ];
  // The chart's axis has room for a short name; the table beside it gives the block in full.
  const label = (l: { block: number; url: string }) => [`Block ${l.block + 1}`, shortUrl(l.url)];
  const split = (l: CampaignReport['links'][number]) =>
    languages.map((code) => `${languageName(code)} ${formatNumber(inLanguage(l, code))}`).join(', ');
  return (
    <>
      <div className="chart-with-table">
        <BarChart
          horizontal
          labels={report.links.map(label)}
          datasets={datasets}
          description={`Bar chart of clicks per link and language: ${report.links
            .map((l) => `${blockLabel(l.block)}, ${l.url}: ${formatNumber(l.clicks)} (${split(l)})`)
            .join('; ')}.`}
        />
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Block</th>
                <th scope="col">Link</th>
                {languages.map((code) => (
                  <th key={code} scope="col" className="number">
                    {languageName(code)}
                  </th>
                ))}
                <th scope="col" className="number">
                  Clicks
                </th>
              </tr>
            </thead>
            <tbody>
              {report.links.map((l) => (
                <tr key={`${l.block} ${l.url}`}>
                  <td>{blockLabel(l.block)}</td>
                  <td className="link-cell">{l.url}</td>
                  {languages.map((code) => (
                    <td key={code} className="number">
                      {formatNumber(inLanguage(l, code))}
                    </td>
                  ))}
                  <td className="number">{formatNumber(l.clicks)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {unattributed > 0 && (
        <p className="muted chart-note">
          {formatNumber(unattributed)} {unattributed === 1 ? 'click came' : 'clicks came'} from links in mail sent
          before clicks were counted by language: they are in the totals only.
        </p>
      )}
    </>
  );
}

function ComparisonReport({ comparison }: { comparison: Comparison }) {
  if (comparison.previous.length === 0) return <p className="muted">There is no earlier send to compare with yet.</p>;
  // Oldest first, this send last: the chart reads left to right as time goes.
  const sends = [...comparison.previous].reverse().concat(comparison.campaign);
  const name = (s: CampaignSummary) =>
    s.id === comparison.campaign.id ? 'This send' : `${clip(s.bulletinTitle, 30)} (${formatDate(s.startedAt)})`;
  // On the chart's axis the name and the date take a line each, so they need no turning sideways.
  const axisName = (s: CampaignSummary) =>
    s.id === comparison.campaign.id ? 'This send' : [clip(s.bulletinTitle, 30), formatDate(s.startedAt)];
  const metrics = [
    ['bounced', 'Bounced'],
    ['complained', 'Complained'],
    ['unsubscribed', 'Unsubscribed'],
  ] as const;
  const datasets = metrics.map(([key, label]) => ({
    label: `${label} (% of sent)`,
    data: sends.map((s) => percentOf(s.rates?.[key])),
    backgroundColor: COLOURS[key],
  }));
  return (
    <>
      <BarChart
        labels={sends.map(axisName)}
        datasets={datasets}
        percent
        description={`Bar chart of bounces, complaints and unsubscribes as a percentage of messages sent: ${sends
          .map(
            (s) =>
              `${name(s)}: ` +
              `${metrics.map(([key, label]) => `${label.toLowerCase()} ${percent(s.rates?.[key])}`).join(', ')}`,
          )
          .join('; ')}.`}
      />
      <div className="table-wrap row-headed">
        <table>
          <caption className="visually-hidden">
            This send and the earlier ones: counts, and each as a share of the messages sent
          </caption>
          <ComparedHead first="Send" />
          <tbody>
            {[...sends].reverse().map((s) => (
              <tr key={s.id} className={s.id === comparison.campaign.id ? 'current-row' : undefined}>
                <th scope="row">{name(s)}</th>
                <td className="number">{formatNumber(s.sent)}</td>
                {(['delivered', 'bounced', 'complained', 'unsubscribed', 'clicks'] as const).map((key) => (
                  <td key={key} className="number">
                    {s[key] === null ? 'not counted' : `${formatNumber(s[key])} (${percent(s.rates?.[key])})`}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** A chart of a few counts, the same counts in a table, and each as a share of the messages sent. */
function ChartWithTable({
  chart,
  rows,
  sent,
}: {
  chart: { labels: string[]; datasets: ChartDataset<'bar', number[]>[] };
  rows: [string, number][];
  sent: number;
}) {
  return (
    <div className="chart-with-table">
      <BarChart
        labels={chart.labels}
        datasets={chart.datasets}
        description={`Bar chart: ${rows.map(([label, n]) => `${label}, ${formatNumber(n)}`).join('; ')}.`}
      />
      <div className="table-wrap row-headed">
        <table>
          <thead>
            <tr>
              <th scope="col">Messages</th>
              <th scope="col" className="number">
                Count
              </th>
              <th scope="col" className="number">
                Share of sent
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, n]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="number">{formatNumber(n)}</td>
                <td className="number">{percent(sent ? n / sent : null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** A label on a chart's category axis: one line, or several (the name, then the date). */
type AxisLabel = string | string[];

/** About how wide a character of Chart.js's 12 px axis font is, to clip labels to the room they have. */
const CHARACTER_WIDTH = 6.5;

function BarChart({
  labels,
  datasets,
  description,
  horizontal = false,
  percent: asPercent = false,
}: {
  labels: AxisLabel[];
  datasets: ChartDataset<'bar', number[]>[];
  description: string;
  horizontal?: boolean;
  percent?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar', number[], AxisLabel>>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the chart is made once; its data is changed below
  useEffect(() => {
    chart.current = new Chart(canvas.current!, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        // Chart.js follows the width of .chart-box (which may shrink) and fills the height given to it.
        responsive: true,
        maintainAspectRatio: false,
        // Live numbers arrive every second; bars that grow from zero each time would only distract.
        animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: {
          [horizontal ? 'y' : 'x']: { ticks: { maxRotation: 0, callback: fitLabel(horizontal) } },
          [horizontal ? 'x' : 'y']: {
            beginAtZero: true,
            ticks: { precision: 0, ...(asPercent ? { callback: (value: string | number) => `${value}%` } : {}) },
          },
        },
      },
    });
    return () => chart.current?.destroy();
  }, [horizontal, asPercent]);
  const data = JSON.stringify([labels, datasets]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new arrays each render; the chart follows their content
  useEffect(() => {
    const current = chart.current!;
    current.data.labels = labels;
    current.data.datasets = datasets;
    current.update();
  }, [data]);
  const height = horizontal ? 60 + labels.length * 40 : 240;
  return (
    <div className="chart-box" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={description} />
    </div>
  );
}

/**
 * The category axis's tick callback: each line of a label clipped to the room the chart has now,
 * worked out again whenever the chart is resized. Labels on the side of a horizontal chart get up
 * to 40% of its width; under a vertical chart each gets its share of the width.
 */
function fitLabel(horizontal: boolean) {
  return function (this: Scale, value: number | string): AxisLabel {
    const label = this.getLabelForValue(Number(value)) as AxisLabel;
    const room = horizontal
      ? this.chart.width * 0.4
      : (this.chart.width * 0.9) / Math.max(1, this.chart.data.labels?.length ?? 1);
    const characters = Math.max(6, Math.floor(room / CHARACTER_WIDTH));
    return Array.isArray(label) ? label.map((line) => clip(line, characters)) : clip(label, characters);
  };
}

function percentOf(rate: number | null | undefined): number {
  return rate == null ? 0 : Math.round(rate * 1000) / 10;
}

function percent(rate: number | null | undefined): string {
  return rate == null ? '—' : `${(Math.round(rate * 1000) / 10).toLocaleString('en')}%`;
}

/** "https://www.nnirr.org/petition-refugee-admissions?x=1" → "nnirr.org/petition-refugee-admi…" */
function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return clip(u.hostname.replace(/^www\./, '') + u.pathname.replace(/\/$/, ''), 36);
  } catch {
    return url;
  }
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text;
}
