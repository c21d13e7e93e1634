// Dashboards' charts, for any page: <canvas data-chart="id-of-json-script">, the data passed
// with Django's json_script (CSP forbids inline scripts), shaped as
//   {type: "line"|"bar", labels: [...], datasets: [{label, data: [...]}, ...],
//    y: {min, max, title}, gap: "what a null means"}
// A null is a period without a figure (not enough responses, or no data): a gap in the
// line, never a guess. Colours come from the design system's --chart-1…6. Charts in
// content swapped in by htmx are drawn after the swap.
(function () {
  "use strict";

  var PALETTE = ["--chart-1", "--chart-2", "--chart-3", "--chart-4", "--chart-5", "--chart-6"];
  var FALLBACK = ["#2443b8", "#17825a", "#c2410c", "#7c3aed", "#0e7490", "#be185d"];
  var DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];

  function colour(index) {
    var slot = index % PALETTE.length;
    var value = getComputedStyle(document.documentElement).getPropertyValue(PALETTE[slot]).trim();
    return value || FALLBACK[slot];
  }

  function dataset(spec, index, type) {
    var c = colour(index);
    return {
      label: spec.label, data: spec.data, borderColor: c, backgroundColor: c, tension: 0,
      // Past six series the colours repeat: a dash pattern keeps the lines apart.
      borderDash: type === "line" ? DASHES[Math.floor(index / PALETTE.length) % DASHES.length] : [],
      pointRadius: type === "line" ? 3 : 0, spanGaps: false
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) return;
    var existing = window.Chart.getChart(canvas);
    if (existing) existing.destroy();
    var data = JSON.parse(source.textContent);
    var type = data.type || "line";
    var y = data.y || {};
    var gap = data.gap || "no figure";
    new window.Chart(canvas, {
      type: type,
      data: {
        labels: data.labels,
        datasets: (data.datasets || []).map(function (spec, index) { return dataset(spec, index, type); })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 300 },
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { min: y.min, max: y.max, ticks: { stepSize: y.step }, title: { display: !!y.title, text: y.title } },
          x: { ticks: { autoSkip: true, maxRotation: 0 } }
        },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: function (ctx) {
            return ctx.dataset.label + ": " + (ctx.parsed.y === null ? gap : ctx.parsed.y.toFixed(0));
          } } }
        }
      }
    });
  }

  function drawAll(root, onlyNew) {
    if (!window.Chart || !root || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (!(onlyNew && window.Chart.getChart(canvas))) draw(canvas);
    });
  }

  window.TeamHubCharts = { drawAll: drawAll };
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // After an outerHTML swap the event's target may be the element that left the page:
  // look at the whole document and draw only the canvases that have no chart yet.
  document.addEventListener("htmx:afterSettle", function () { drawAll(document, true); });
})();
