"""`govreports report --out FILE.html`: coverage and targets-vs-results at a glance.

One self-contained HTML file (no network, no external script or font) that opens offline and
can be mailed around: a region × year grid of the work reports published (cell = indicators
read, colour = how many), and for the main indicators a chart per indicator of each region's
growth target against the result later reported for the same year. The data sits in the page
as JSON; a small inline script draws the charts as SVG, and the same figures are in plain
tables below each chart for readers without script."""

from __future__ import annotations

import datetime as dt
import html
import json

from pipeline.query import connect

MAIN_INDICATORS = [
    ("gdp", "地区生产总值增长"),
    ("general_budget_revenue", "一般公共预算收入增长"),
    ("fixed_asset_investment", "固定资产投资增长"),
    ("retail_sales", "社会消费品零售总额增长"),
    ("industrial_value_added_above_scale", "规模以上工业增加值增长"),
]

GRID_SQL = """
SELECT d.region_name AS region, any_value(d.admin_level) AS level, any_value(d.province) AS province,
       d.report_year AS year, count(DISTINCT d.doc_id) AS documents, count(i.doc_id) AS indicators
FROM documents d LEFT JOIN indicators i ON i.doc_id = d.doc_id
WHERE d.doc_type = 'work_report' AND d.region_name IS NOT NULL AND d.report_year > 0
GROUP BY d.region_name, d.report_year
"""

# a year's target comes from that year's report; its result from a later report (period = year)
PAIRS_SQL = """
SELECT d.region_name AS region, i.period AS year,
       max(CASE WHEN i.kind = 'target' AND i.period = i.report_year THEN i.value END) AS target,
       max(CASE WHEN i.kind = 'target' AND i.period = i.report_year THEN i.value_high END) AS target_high,
       max(CASE WHEN i.kind = 'actual' AND i.period = i.report_year - 1 THEN i.value END) AS actual
FROM indicators i JOIN documents d ON d.doc_id = i.doc_id
WHERE i.indicator = ? AND i.measure = 'growth' AND i.span IS NULL AND d.region_name IS NOT NULL
GROUP BY ALL
HAVING target IS NOT NULL OR actual IS NOT NULL
ORDER BY region, year
"""


def report_data(store_uri: str | None) -> dict:
    con = connect(store_uri)
    tables = {r[0] for r in con.sql("SELECT table_name FROM information_schema.tables").fetchall()}
    if not {"documents", "indicators"} <= tables:
        raise FileNotFoundError(f"nothing published in {store_uri or './data'} yet (run `govreports process`)")
    grid = [dict(zip(("region", "level", "province", "year", "documents", "indicators"), row, strict=True))
            for row in con.sql(GRID_SQL).fetchall()]
    charts = []
    for code, label in MAIN_INDICATORS:
        rows = con.execute(PAIRS_SQL, [code]).fetchall()
        points = [{"region": r, "year": int(y), "target": t, "target_high": th, "actual": a}
                  for r, y, t, th, a in rows]
        if points:
            charts.append({"indicator": code, "label": label, "points": points})
    health = []
    if "source_health" in tables:
        health = [dict(zip(("source_id", "status", "last_success_at", "failures"), r, strict=True)) for r in con.sql(
            "SELECT source_id, status, last_success_at, failures FROM source_health "
            "WHERE checked_date = (SELECT max(checked_date) FROM source_health) ORDER BY source_id").fetchall()]
    return {"grid": grid, "charts": charts, "health": health,
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


def _grid_html(grid: list[dict]) -> str:
    if not grid:
        return "<p>No work report published yet.</p>"
    years = list(range(min(g["year"] for g in grid), max(g["year"] for g in grid) + 1))
    regions = sorted({(g["province"] or "", g["level"] or "", g["region"]) for g in grid})
    cells = {(g["region"], g["year"]): g for g in grid}
    top = max(g["indicators"] for g in grid) or 1
    out = ['<table id="coverage" class="grid"><thead><tr><th>region</th><th>level</th>']
    out += [f"<th>{y}</th>" for y in years] + ["<th>years</th></tr></thead><tbody>"]
    for _province, level, region in regions:
        out.append(f"<tr><th>{html.escape(region)}</th><td class='lvl'>{html.escape(level)}</td>")
        covered = 0
        for y in years:
            g = cells.get((region, y))
            if g:
                covered += 1
                shade = 0.25 + 0.75 * g["indicators"] / top
                out.append(f"<td class='have' style='background:rgba(33,113,181,{shade:.2f})' "
                           f"title='{html.escape(region)} {y}: {g['indicators']} indicators'>{g['indicators']}</td>")
            else:
                out.append(f"<td class='missing' title='{html.escape(region)} {y}: no report'>·</td>")
        out.append(f"<td class='n'>{covered}/{len(years)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _chart_tables(charts: list[dict]) -> str:
    out = []
    for c in charts:
        out.append(f"<section class='chart' data-indicator='{c['indicator']}'><h3>{html.escape(c['label'])} (%)</h3>"
                   f"<div class='plot' id='plot-{c['indicator']}'></div><details><summary>figures</summary>"
                   "<table><tr><th>region</th><th>year</th><th>target</th><th>result</th></tr>")
        for p in c["points"]:
            tgt = "" if p["target"] is None else f"{p['target']:g}" + (f"–{p['target_high']:g}" if p["target_high"] else "")
            act = "" if p["actual"] is None else f"{p['actual']:g}"
            out.append(f"<tr><td>{html.escape(p['region'])}</td><td>{p['year']}</td><td>{tgt}</td><td>{act}</td></tr>")
        out.append("</table></details></section>")
    return "".join(out) or "<p>No growth targets or results for the main indicators yet.</p>"


def _health_html(health: list[dict]) -> str:
    if not health:
        return ""
    rows = "".join(f"<tr class='{h['status']}'><td>{html.escape(h['source_id'])}</td><td>{h['status']}</td>"
                   f"<td>{html.escape(h['last_success_at'] or 'never')}</td><td>{html.escape(h['failures'] or '')}</td></tr>"
                   for h in health)
    return ("<h2>Sources</h2><table id='health'><tr><th>source</th><th>status</th><th>last success</th>"
            f"<th>failures (last run)</th></tr>{rows}</table>")


SCRIPT = r"""
(function () {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const NS = 'http://www.w3.org/2000/svg';
  function el(name, attrs, text) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  let drawn = 0;
  for (const c of data.charts) {
    const host = document.getElementById('plot-' + c.indicator);
    const pts = c.points, bw = 14, gap = 18, left = 40, top = 10, h = 180;
    const width = left + pts.length * (2 * bw + gap) + 20;
    const vals = pts.flatMap(p => [p.target_high ?? p.target, p.actual]).filter(v => v !== null);
    const lo = Math.min(0, ...vals), hi = Math.max(1, ...vals);
    const y = v => top + h - (v - lo) / (hi - lo) * h;
    const svg = el('svg', {width: width, height: h + 70, role: 'img', 'aria-label': c.label});
    for (let t = 0; t <= 4; t++) {
      const v = lo + (hi - lo) * t / 4;
      svg.appendChild(el('line', {x1: left, x2: width, y1: y(v), y2: y(v), class: 'tick'}));
      svg.appendChild(el('text', {x: left - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'axis'}, v.toFixed(1)));
    }
    pts.forEach((p, i) => {
      const x = left + 10 + i * (2 * bw + gap);
      const bar = (v, dx, cls) => el('rect', {x: x + dx, y: Math.min(y(v), y(0)), width: bw,
                                              height: Math.max(1, Math.abs(y(v) - y(0))), class: 'bar ' + cls});
      if (p.target !== null) {
        const r = bar(p.target_high ?? p.target, 0, 'target');
        r.appendChild(el('title', {}, `${p.region} ${p.year} target ${p.target}${p.target_high ? '–' + p.target_high : ''}%`));
        svg.appendChild(r); drawn++;
      }
      if (p.actual !== null) {
        const r = bar(p.actual, bw, 'actual');
        r.appendChild(el('title', {}, `${p.region} ${p.year} result ${p.actual}%`));
        svg.appendChild(r); drawn++;
      }
      svg.appendChild(el('text', {x: x + bw, y: h + top + 14, 'text-anchor': 'middle', class: 'axis'}, String(p.year)));
      svg.appendChild(el('text', {x: x + bw, y: h + top + 28, 'text-anchor': 'middle', class: 'region'},
                         p.region.length > 4 ? p.region.slice(0, 4) : p.region));
    });
    host.appendChild(svg);
  }
  document.body.setAttribute('data-bars', String(drawn));
})();
"""

STYLE = """
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei","PingFang SC",sans-serif;margin:24px;color:#222}
h1{font-size:22px;margin:0 0 4px} .meta{color:#666;margin-bottom:18px}
table{border-collapse:collapse;margin:8px 0 20px} th,td{border:1px solid #ddd;padding:3px 7px;text-align:center}
.grid td.have{color:#fff;font-weight:600} .grid td.missing{color:#bbb} .grid th{text-align:left}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
.bar.target{fill:#fff;stroke:#2171b5;stroke-width:2} .bar.actual{fill:#e6550d}
.tick{stroke:#eee} .axis,.region{font-size:10px;fill:#555}
section.chart{display:inline-block;vertical-align:top;margin:0 24px 16px 0}
#health tr.failing td,#health tr.silent td,#health tr.stale td{background:#fde0dd}
"""


def render_report(data: dict) -> str:
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    regions = len({g["region"] for g in data["grid"]})
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>govreports coverage</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>
<body>
<h1>govreports: coverage and targets vs results</h1>
<div class="meta">{regions} regions, {len(data["grid"])} region-years with a work report; generated {data["generated_at"]}</div>
<h2>Work reports by region and year</h2>
<p>Each cell: indicators read from that year's report; darker = more. · = no report published.</p>
{_grid_html(data["grid"])}
<h2>Growth targets against results</h2>
<p class="legend"><span style="border:2px solid #2171b5"></span>target (that year's report)
<span style="background:#e6550d"></span>result (reported the next year)</p>
{_chart_tables(data["charts"])}
{_health_html(data["health"])}
<script type="application/json" id="report-data">{payload}</script>
<script>{SCRIPT}</script>
</body></html>
"""


def write_report(store_uri: str | None, out_path: str) -> dict:
    data = report_data(store_uri)
    with open(out_path, "w", encoding="utf-8") as fh:
        fh.write(render_report(data))
    return {"regions": len({g["region"] for g in data["grid"]}), "cells": len(data["grid"]),
            "charts": len(data["charts"]), "points": sum(len(c["points"]) for c in data["charts"])}
