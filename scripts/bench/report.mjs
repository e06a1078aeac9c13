// Result rows and the table printed on stdout. Every figure carries the baseline measured in
// the same run: on a shared, noisy machine only the ratio is comparable between runs.

/**
 * @typedef {object} Target
 * @property {string} text   how the target reads in the table, e.g. "< 150 ms"
 * @property {'value'|'ratio'} on  which number the target applies to
 * @property {'<'|'>'} op
 * @property {number} limit
 */

/**
 * @typedef {object} Row
 * @property {string} area
 * @property {string} metric
 * @property {number|null} value        null: unavailable (see note)
 * @property {string} unit
 * @property {number|null} [baseline]
 * @property {string} [baselineWhat]   what the baseline is
 * @property {number|null} [ratio]
 * @property {Target} [target]
 * @property {boolean|null} [met]
 * @property {string} [note]
 */

/**
 * Builds a row; the ratio is value / baseline, and the target is checked when there is a value.
 * @param {Omit<Row, 'ratio'|'met'>} r
 * @returns {Row}
 */
export function row(r) {
  const ratio = r.value != null && r.baseline != null && r.baseline !== 0 && Number.isFinite(r.value) ? r.value / r.baseline : null;
  let met = null;
  if (r.target && r.value != null && Number.isFinite(r.value)) {
    const x = r.target.on === 'ratio' ? ratio : r.value;
    if (x != null) met = r.target.op === '<' ? x < r.target.limit : x > r.target.limit;
  }
  return { baseline: null, baselineWhat: '', ...r, ratio, met };
}

/** A row for a figure that could not be measured (a command not built yet, a failure). */
export function unavailable(area, metric, unit, note, target) {
  return row({ area, metric, value: null, unit, note, ...(target ? { target } : {}) });
}

const fmt = (v, unit) => {
  if (v == null || !Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  const n = abs >= 1000 ? Math.round(v).toLocaleString('en-US') : abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : v.toFixed(2);
  return unit ? `${n} ${unit}` : n;
};

/** The table: metric, value, baseline, ratio, target (met/missed). */
export function formatTable(rows) {
  const head = ['area', 'metric', 'value', 'baseline', 'ratio', 'target'];
  const body = rows.map((r) => [
    r.area,
    r.metric,
    r.value == null ? `n/a (${r.note ?? 'unavailable'})` : fmt(r.value, r.unit),
    r.baseline == null ? '' : `${fmt(r.baseline, r.unit)}${r.baselineWhat ? ` (${r.baselineWhat})` : ''}`,
    r.ratio == null ? '' : `${r.ratio.toFixed(2)}×`,
    r.target ? `${r.target.text} ${r.met == null ? '' : r.met ? 'met' : 'MISSED'}`.trim() : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
