/** The pages' one stylesheet: light and dark (prefers-color-scheme), and print. */
export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa; --track: #eaeef2;
  --pass: #1a7f37; --fail: #cf222e; --advisory: #9a6700; --skipped: #818b98; --accent: #0969da;
  --pass-bg: #dafbe1; --fail-bg: #ffebe9; --advisory-bg: #fff8c5; --skipped-bg: #eaeef2; --accent-bg: #ddf4ff;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23; --track: #212830;
    --pass: #3fb950; --fail: #f85149; --advisory: #d29922; --skipped: #6e7681; --accent: #4493f8;
    --pass-bg: #12261e; --fail-bg: #25171c; --advisory-bg: #272115; --skipped-bg: #212830; --accent-bg: #121d2f;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 60px; }
a { color: var(--accent); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--border); }
h3 { font-size: 14px; margin: 14px 0 6px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 8px 10px; margin: 6px 0;
  white-space: pre-wrap; word-break: break-word; max-height: 360px; overflow: auto; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
header.page { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 8px; margin-bottom: 12px; }
nav.toc { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 8px 0 18px; font-size: 13px; }
section { margin: 0 0 26px; }
article.task { margin-bottom: 48px; }
article.task + article.task { border-top: 3px solid var(--border); padding-top: 24px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
.v-pass { color: var(--pass); background: var(--pass-bg); border-color: var(--pass); }
.v-fail { color: var(--fail); background: var(--fail-bg); border-color: var(--fail); }
.v-advisory { color: var(--advisory); background: var(--advisory-bg); border-color: var(--advisory); }
.v-skipped, .v-not_run { color: var(--muted); background: var(--skipped-bg); border-color: var(--skipped); }
.v-info { color: var(--accent); background: var(--accent-bg); border-color: var(--accent); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
ol.lifecycle { list-style: none; display: flex; flex-wrap: wrap; gap: 4px; padding: 0; margin: 8px 0; }
ol.lifecycle li { padding: 2px 10px; border-radius: 4px; border: 1px solid var(--border); font-size: 12px; color: var(--muted); }
ol.lifecycle li.past { color: var(--fg); background: var(--panel); }
ol.lifecycle li.current { color: var(--accent); background: var(--accent-bg); border-color: var(--accent); font-weight: 600; }
.off-path { margin: 4px 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--border); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.timeline { border: 1px solid var(--border); border-radius: 6px; padding: 8px 10px; }
.tl-row { display: grid; grid-template-columns: 160px 1fr 80px; gap: 8px; align-items: center; min-height: 24px; }
.tl-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 13px; }
.tl-track { position: relative; height: 16px; background: var(--track); border-radius: 3px; }
.tl-bar { position: absolute; top: 0; bottom: 0; min-width: 3px; border-radius: 3px; }
.tl-bar.v-pass { background: var(--pass); } .tl-bar.v-fail { background: var(--fail); }
.tl-bar.v-advisory { background: var(--advisory); } .tl-bar.v-skipped { background: var(--skipped); }
.tl-bar.cached { background-image: repeating-linear-gradient(135deg, transparent 0 4px, rgba(255,255,255,.45) 4px 7px); }
.tl-time { font-size: 12px; color: var(--muted); text-align: right; }
.tl-axis { display: grid; grid-template-columns: 160px 1fr 80px; gap: 8px; font-size: 11px; color: var(--muted); }
.tl-axis .ticks { display: flex; justify-content: space-between; }
.legend { display: flex; flex-wrap: wrap; gap: 10px; font-size: 12px; color: var(--muted); margin-top: 6px; }
.legend i { display: inline-block; width: 12px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.sw-pass { background: var(--pass); } .sw-fail { background: var(--fail); } .sw-advisory { background: var(--advisory); }
.sw-skipped { background: var(--skipped); }
.sw-cached { background: var(--pass); background-image: repeating-linear-gradient(135deg, transparent 0 3px, rgba(255,255,255,.55) 3px 5px); }
.stage { border: 1px solid var(--border); border-left-width: 4px; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.stage.s-pass { border-left-color: var(--pass); } .stage.s-fail { border-left-color: var(--fail); }
.stage.s-advisory { border-left-color: var(--advisory); } .stage.s-skipped, .stage.s-not_run { border-left-color: var(--skipped); }
td time, td.nowrap { white-space: nowrap; }
td.mono { overflow-wrap: anywhere; }
.stage-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.stage-head .name { font-weight: 600; font-size: 15px; }
.cause { margin: 6px 0; }
.meter { position: relative; height: 14px; background: var(--track); border-radius: 7px; margin: 6px 0 2px; max-width: 520px; }
.meter .fill { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 7px; }
.meter .fill.ok { background: var(--pass); } .meter .fill.bad { background: var(--fail); }
.meter .floor { position: absolute; top: -4px; bottom: -4px; width: 2px; background: var(--fg); }
.ok-mark { color: var(--pass); font-weight: 700; } .bad-mark { color: var(--fail); font-weight: 700; }
.chart { width: 100%; max-width: 760px; height: auto; border: 1px solid var(--border); border-radius: 6px; }
.chart .grid { stroke: var(--border); stroke-width: 1; }
.chart .line { fill: none; stroke: var(--accent); stroke-width: 2.5; }
.chart .area { fill: var(--accent-bg); }
.chart text { fill: var(--muted); font-size: 11px; font-family: system-ui, sans-serif; }
.chart text.step { fill: var(--fg); font-weight: 600; }
.chart .check-ok { fill: var(--pass); } .chart .check-bad { fill: var(--fail); }
.problems { border: 1px solid var(--fail); background: var(--fail-bg); border-radius: 6px; padding: 8px 12px; }
.problems li { word-break: break-word; }
.toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
input[type=search] { padding: 4px 8px; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); color: var(--fg); min-width: 240px; }
button { font: inherit; padding: 4px 12px; border-radius: 6px; border: 1px solid var(--border); background: var(--panel); color: var(--fg); cursor: pointer; }
button.danger { color: var(--fail); border-color: var(--fail); }
button:disabled { opacity: .5; cursor: default; }
.actions { display: flex; gap: 8px; flex-wrap: wrap; margin: 8px 0; }
.notice { padding: 6px 10px; border-radius: 6px; border: 1px solid var(--border); background: var(--panel); margin: 8px 0; }
.live { font-size: 12px; color: var(--muted); }
details > summary { cursor: pointer; color: var(--muted); }
@media print {
  :root { color-scheme: light; --bg: #fff; --fg: #000; --muted: #444; --panel: #fff; --track: #eee; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav.toc, .toolbar, .actions, .live, button, input { display: none !important; }
  section, .stage, tr { break-inside: avoid; }
  pre { max-height: none; overflow: visible; }
  a { color: inherit; text-decoration: none; }
  .tl-bar, .meter .fill, .legend i, .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
