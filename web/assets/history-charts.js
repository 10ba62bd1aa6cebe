// The dashboard's "Last 15 minutes": the server's history samples (one every interval_seconds,
// kept in the API process's memory) drawn as inline SVG area charts, oldest at the left. A gap
// in the samples (the server was down, or a figure was unknown) is left as a gap.
import { byId } from './common.js';

const WIDTH = 300;
const HEIGHT = 80;
const TOP_MARGIN = 4;  // the highest point stays inside the frame
const SVG = 'http://www.w3.org/2000/svg';
const PRIORITIES = ['high', 'normal', 'low'];

function svgElement(tag, attributes) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  return el;
}

// Runs of consecutive points with a value: a null, or a missing interval, ends one.
function segments(points, gapMs) {
  const runs = [];
  let run = [];
  let previous = null;
  for (const point of points) {
    const broken = point.value === null || (previous !== null && point.at - previous > gapMs);
    if (broken && run.length) {
      runs.push(run);
      run = [];
    }
    if (point.value !== null) run.push(point);
    previous = point.at;
  }
  if (run.length) runs.push(run);
  return runs;
}

// `layers`: [{className, values}], values aligned with `times` (ms), null where unknown; drawn
// in order on one scale, each as a line over a filled area.
function drawChart(svg, times, layers, { from, to, gapMs }) {
  const max = Math.max(1e-9, ...layers.flatMap((layer) => layer.values.filter((v) => v !== null)));
  const x = (at) => (((at - from) / (to - from)) * WIDTH).toFixed(1);
  const y = (value) => (HEIGHT - (value / max) * (HEIGHT - TOP_MARGIN)).toFixed(1);
  const shapes = [svgElement('line', { x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5 })];
  for (const layer of layers) {
    const points = times.map((at, i) => ({ at, value: layer.values[i] }));
    for (const run of segments(points, gapMs)) {
      const line = run.map((point) => `${x(point.at)},${y(point.value)}`).join(' ');
      const area = `${x(run[0].at)},${HEIGHT} ${line} ${x(run.at(-1).at)},${HEIGHT}`;
      shapes.push(svgElement('polygon', { points: area, class: layer.className }));
      shapes.push(svgElement('polyline', { points: line, class: layer.className }));
    }
  }
  svg.replaceChildren(...shapes);
  svg.classList.toggle('empty', times.length === 0);
  return max;
}

const latest = (values) => values.findLast((value) => value !== null) ?? null;

// "now 1.20 · peak 3.40 tasks/s", also the chart's accessible name.
function describe(svg, caption, { name, now, peak, format }) {
  const text = now === null ? 'no data yet' : `now ${format(now)} · peak ${format(peak)}`;
  byId(caption).textContent = text;
  svg.setAttribute('aria-label', `${name} over the last 15 minutes: ${text}`);
}

const perSecond = (value) => `${value.toFixed(2)}/s`;
const count = (value) => String(Math.round(value));
const milliseconds = (seconds) => `${Math.round(seconds * 1000)} ms`;

export function renderHistory(history) {
  const samples = history?.samples ?? [];
  const intervalMs = (history?.interval_seconds ?? 10) * 1000;
  const times = samples.map((sample) => Date.parse(sample.at));
  const to = times.at(-1) ?? Date.now();
  const range = { from: to - 90 * intervalMs, to, gapMs: 2.5 * intervalMs };

  const rate = samples.map((sample) => sample.tasks_per_second);
  const rateSvg = byId('chart-throughput');
  const ratePeak = drawChart(rateSvg, times, [{ className: 'series', values: rate }], range);
  describe(rateSvg, 'chart-throughput-caption',
    { name: 'Tasks per second', now: latest(rate), peak: ratePeak, format: perSecond });

  // Stacked by priority: each band's height is that priority's share of the depth.
  const stacked = PRIORITIES.map((_, i) => ({
    className: `series ${PRIORITIES[i]}`,
    values: samples.map((sample) => PRIORITIES.slice(i).reduce((sum, p) => sum + (sample.queue[p] ?? 0), 0)),
  }));
  const depth = samples.map((sample) => sample.queue_depth);
  const depthSvg = byId('chart-queue');
  const depthPeak = drawChart(depthSvg, times, stacked, range);
  describe(depthSvg, 'chart-queue-caption',
    { name: 'Queue depth', now: latest(depth), peak: depthPeak, format: count });

  const p99 = samples.map((sample) => sample.processing_p99_seconds);
  const p99Svg = byId('chart-p99');
  const p99Peak = drawChart(p99Svg, times, [{ className: 'series', values: p99 }], range);
  describe(p99Svg, 'chart-p99-caption',
    { name: 'p99 processing time', now: latest(p99), peak: p99Peak, format: milliseconds });
}
