// A customer's NPS (and mean CSAT) per month, on its page (surveys: customer feedback).
// <canvas data-nps-chart="id-of-json-script">; the page has the same figures in a table.
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function drawNpsCharts(root) {
    if (!window.Chart || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-nps-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-nps-chart"));
      if (!source) return;
      var existing = window.Chart.getChart(canvas);
      if (existing) existing.destroy();
      var data = JSON.parse(source.textContent);
      var nps = cssVar("--chart-1", "#2443b8");
      var csat = cssVar("--chart-2", "#17825a");
      var datasets = [{
        label: "NPS", data: data.nps, yAxisID: "y", borderColor: nps, backgroundColor: nps,
        pointRadius: 4, tension: 0, spanGaps: true
      }];
      var scales = { y: { min: -100, max: 100, title: { display: true, text: "NPS" } } };
      if (data.csat.some(function (v) { return v !== null; })) {
        datasets.push({
          label: "CSAT, mean", data: data.csat, yAxisID: "csat", borderColor: csat, backgroundColor: csat,
          borderDash: [6, 4], pointRadius: 4, tension: 0, spanGaps: true
        });
        scales.csat = { position: "right", min: 1, max: 5, grid: { drawOnChartArea: false }, title: { display: true, text: "CSAT" } };
      }
      new window.Chart(canvas, {
        type: "line",
        data: { labels: data.labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 400 },
          interaction: { mode: "index", intersect: false },
          scales: scales,
          plugins: {
            legend: { position: "bottom" },
            tooltip: { callbacks: { label: function (ctx) {
              return ctx.dataset.label + ": " + (ctx.parsed.y === null ? "no answers" : ctx.parsed.y);
            } } }
          }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawNpsCharts(document); });
})();
