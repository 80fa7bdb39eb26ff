// Draws the server-built plotly figures: each <div class="chart" data-chart="ID"> takes the figure in the
// <script type="application/json" id="ID"> element (Django's json_script). Loaded as a file, no inline
// script, so a strict Content-Security-Policy `script-src 'self'` holds. A click on a point whose
// customdata ends with a local link ("/studies/...") opens it: the studies behind a bar, or one study.
(() => {
  "use strict";

  const linkOf = (point) => {
    const data = point && point.customdata;
    const last = Array.isArray(data) ? data[data.length - 1] : data;
    // Only paths on this site: never another origin, even if a payload were tampered with.
    return typeof last === "string" && last.startsWith("/") && !last.startsWith("//") ? last : null;
  };

  const draw = (root) => {
    for (const element of root.querySelectorAll("div.chart[data-chart]")) {
      const source = document.getElementById(element.dataset.chart);
      if (!source || element.dataset.drawn) continue;
      const figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, { responsive: true, displaylogo: false });
      element.dataset.drawn = "true";
      element.on("plotly_click", (event) => {
        const link = linkOf(event.points[0]);
        if (link) window.location.assign(link);
      });
    }
  };

  const drawAll = () => draw(document);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
  // htmx swapped in new charts (filters changed) or restored a page from its history cache.
  document.addEventListener("htmx:afterSwap", drawAll);
  document.addEventListener("htmx:historyRestore", () => {
    for (const element of document.querySelectorAll("div.chart[data-drawn]")) delete element.dataset.drawn;
    drawAll();
  });
})();
