// Survey results: a group's engagement, eNPS and response rate over rounds (trend page).
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  // <canvas data-survey-trend="id-of-json-script">; a null is a round with not enough
  // responses: a gap in the line, never a guess.
  function drawTrendCharts(root) {
    if (!window.Chart || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-survey-trend]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-survey-trend"));
      if (!source) return;
      var existing = window.Chart.getChart(canvas);
      if (existing) existing.destroy();
      var data = JSON.parse(source.textContent);
      function line(label, values, colour, axis, dashed) {
        return {
          label: label, data: values, borderColor: colour, backgroundColor: colour, yAxisID: axis,
          borderDash: dashed ? [6, 4] : [], pointRadius: 4, tension: 0, spanGaps: false
        };
      }
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [
            line("Engagement, % favourable", data.engagement, cssVar("--chart-1", "#2443b8"), "percent", false),
            line("Response rate, %", data.response_rate, cssVar("--chart-5", "#0e7490"), "percent", true),
            line("eNPS", data.enps, cssVar("--chart-3", "#c2410c"), "net", false)
          ]
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 400 },
          interaction: { mode: "index", intersect: false },
          scales: {
            percent: { type: "linear", position: "left", min: 0, max: 100, title: { display: true, text: "%" } },
            net: { type: "linear", position: "right", min: -100, max: 100, grid: { drawOnChartArea: false },
                   title: { display: true, text: "eNPS" } }
          },
          plugins: {
            legend: { position: "bottom" },
            tooltip: { callbacks: { label: function (ctx) {
              return ctx.dataset.label + ": " + (ctx.parsed.y === null ? "not enough responses" : ctx.parsed.y.toFixed(0));
            } } }
          }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawTrendCharts(document); });
})();
