// Draws the server-built plotly figures: each <div class="chart" data-chart="ID"> takes the figure in the
// <script type="application/json" id="ID"> element (Django's json_script). Loaded as a file, no inline
// script, so a strict Content-Security-Policy `script-src 'self'` holds. A click on a point whose
// customdata ends with a local link ("/studies/...") opens it: the studies behind a bar, or one study.
//
// Printing: the dashboard fetches its charts after the first when they scroll into view (htmx "revealed"),
// which printing never does, and plotly draws at a fixed width, that of the window. The Print button
// (button[data-print]) fetches every chart still missing, waits until each is drawn, redraws them at the
// paper's width and prints; printing from the browser's menu redraws those already there at that width.
(() => {
  "use strict";

  // CSS pixels: 180 mm, what A4 and Letter both leave between margins of 15 mm.
  const PRINT_WIDTH = 680;
  // How long the Print button waits for the missing charts before it prints what there is.
  const LOAD_TIMEOUT_MS = 30_000;
  const plots = new WeakMap(); // chart element -> the promise Plotly.newPlot gave
  let paper = false; // between "beforeprint" and "afterprint": draw for the paper

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
      const config = { responsive: true, displaylogo: false };
      // Drawn at the window's width first, even for paper: plotly goes back (width null) only to a width it
      // chose itself.
      const plotted = window.Plotly.newPlot(element, figure.data, figure.layout, config);
      const forPaper = () => window.Plotly.relayout(element, { width: PRINT_WIDTH });
      plots.set(element, paper ? plotted.then(forPaper) : plotted);
      element.dataset.drawn = "true";
      element.on("plotly_click", (event) => {
        const link = linkOf(event.points[0]);
        if (link) window.location.assign(link);
      });
    }
  };

  const drawAll = () => draw(document);
  const drawnCharts = () => [...document.querySelectorAll("div.chart[data-drawn]")];

  // A chart section htmx has yet to fetch, or is fetching; one whose fetch failed keeps its "Loading" text.
  const deferred = () => [...document.querySelectorAll("section.chart-section[hx-get]")];
  const onItsWay = (section) =>
    !section.hasAttribute("data-hx-revealed") || section.classList.contains("htmx-request");

  // Fetch every deferred chart section; resolves when none is on its way any more.
  const loadDeferred = () =>
    new Promise((resolve) => {
      const check = () => {
        if (deferred().some(onItsWay)) return;
        document.removeEventListener("htmx:afterRequest", check);
        resolve();
      };
      document.addEventListener("htmx:afterRequest", check);
      for (const section of deferred()) {
        if (section.hasAttribute("data-hx-revealed")) continue; // htmx is fetching it already
        section.setAttribute("data-hx-revealed", "true"); // as htmx marks it: never fetched twice
        window.htmx.trigger(section, "revealed");
      }
      check();
    });

  // Plotly.relayout redraws at once (no await needed before printing); width null: the container's again.
  const fit = (width) => {
    for (const element of drawnCharts()) window.Plotly.relayout(element, { width });
  };

  const printAll = async () => {
    paper = true;
    const waited = new Promise((resolve) => window.setTimeout(resolve, LOAD_TIMEOUT_MS));
    await Promise.race([loadDeferred(), waited]);
    drawAll();
    await Promise.all(drawnCharts().map((element) => plots.get(element)));
    fit(PRINT_WIDTH);
    window.print();
  };

  const ready = () => {
    drawAll();
    for (const button of document.querySelectorAll("button[data-print]")) button.hidden = false;
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("button[data-print]")) printAll();
  });
  // Printing from the browser's menu: it prints at once, so only the charts already drawn make it to paper
  // (fitted to it); the missing ones start loading for the next try.
  window.addEventListener("beforeprint", () => {
    paper = true;
    fit(PRINT_WIDTH);
    loadDeferred();
  });
  window.addEventListener("afterprint", () => {
    paper = false;
    fit(null);
  });
  // htmx swapped in new charts (filters changed) or restored a page from its history cache.
  document.addEventListener("htmx:afterSwap", drawAll);
  document.addEventListener("htmx:historyRestore", () => {
    for (const element of document.querySelectorAll("div.chart[data-drawn]")) delete element.dataset.drawn;
    drawAll();
  });
})();
