namespace Telemetry.Core.Reporting;

public static partial class HtmlReport
{
    /// <summary>
    /// The page's only style: system fonts, a grid that puts each chart beside its table on a wide screen and above
    /// it on a narrow one, and print rules. It holds no "&lt;" or "&amp;", so the page stays well-formed XML.
    /// </summary>
    private const string Css = """
        :root { --ink: #1f2933; --muted: #5f6b7a; --line: #dde2e8; --panel: #f5f7f9; --accent: #2f5f8f; }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body { margin: 0; background: #ffffff; color: var(--ink); font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 15px; line-height: 1.5; }
        .page { max-width: 1240px; margin: 0 auto; padding: 28px 24px 48px; }
        h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 0.35rem; font-weight: 650; }
        h2 { font-size: 1.3rem; margin: 0 0 0.6rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--line); font-weight: 650; }
        p { margin: 0 0 0.6rem; }
        .meta { color: var(--muted); }
        .banner { margin: 1rem 0 0.5rem; padding: 0.75rem 1rem; border-left: 5px solid; border-radius: 4px; max-width: 60rem; }
        .banner p:last-child, .banner ul:last-child { margin-bottom: 0; }
        .banner ul { margin: 0.2rem 0 0.6rem; padding-left: 1.4rem; }
        .banner.shareable { background: #edf6ee; border-color: #2e7d32; }
        .banner.internal { background: #fff5e1; border-color: #b7791f; }
        .sym { display: inline-block; min-width: 1.8em; font-variant-numeric: tabular-nums; }
        nav.toc ul { display: flex; flex-wrap: wrap; gap: 0.2rem 1.2rem; list-style: none; margin: 1rem 0 0; padding: 0.5rem 0; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); font-size: 0.92rem; }
        nav.toc a { color: var(--accent); text-decoration: none; }
        nav.toc a:hover, nav.toc a:focus { text-decoration: underline; }
        section { margin-top: 2.4rem; }
        .lead { color: var(--muted); max-width: 60rem; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin: 0; }
        .card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
        .card dt { color: var(--muted); font-size: 0.9rem; }
        .card dd { margin: 0; }
        .card .value { font-size: 2rem; font-weight: 650; line-height: 1.25; font-variant-numeric: tabular-nums; }
        .card .note { color: var(--muted); font-size: 0.8rem; }
        .charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 20px 28px; margin-bottom: 1.2rem; }
        .charts figure:first-child { grid-column: 1 / -1; }
        .pair { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 28px; align-items: start; }
        figure.chart { margin: 0; min-width: 0; }
        figure.chart figcaption { font-weight: 600; margin-bottom: 0.3rem; }
        figure.chart svg { display: block; width: 100%; height: auto; max-width: 100%; font-family: inherit; }
        .table-wrap { overflow-x: auto; min-width: 0; }
        table { width: 100%; border-collapse: collapse; font-size: 0.88rem; }
        caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 0.35rem; }
        th, td { padding: 4px 8px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
        thead th { background: var(--panel); border-bottom: 2px solid #b9c1cc; font-weight: 600; vertical-align: bottom; }
        thead th.group { text-align: center; border-bottom: 1px solid #b9c1cc; }
        tbody th { font-weight: 500; }
        tbody tr:nth-child(even) { background: #fafbfc; }
        .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        .hidden-figure { color: var(--muted); font-weight: 600; }
        th.sub { padding-left: 1.6rem; color: var(--muted); }
        .wrap { overflow-wrap: anywhere; }
        .nowrap { white-space: nowrap; }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.85em; }
        .sev-critical { color: #b42318; font-weight: 600; }
        .sev-warning { color: #8a5a00; font-weight: 600; }
        .no-data { color: var(--muted); font-style: italic; background: var(--panel); border: 1px dashed #c4cbd4; border-radius: 6px; padding: 0.8rem 1rem; }
        footer { margin-top: 3rem; padding-top: 0.8rem; border-top: 1px solid var(--line); color: var(--muted); font-size: 0.85rem; }
        @media (max-width: 960px) {
          .pair, .charts { grid-template-columns: minmax(0, 1fr); }
          .page { padding: 16px 12px 32px; }
        }
        @media (max-width: 640px) {
          figure.chart { overflow-x: auto; }
          figure.chart svg { min-width: 540px; }
          figure.chart.wide svg { min-width: 860px; }
        }
        @media print {
          @page { margin: 14mm; }
          body { font-size: 10pt; }
          .page { max-width: none; padding: 0; }
          nav.toc { display: none; }
          .pair { grid-template-columns: minmax(0, 1fr); gap: 12px; }
          figure.chart, tr, .card, .banner { break-inside: avoid; }
          h2 { break-after: avoid; }
          thead { display: table-header-group; }
          .table-wrap { overflow: visible; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }

        """;
}
