// Small progressive enhancements. Every page works without them.
(function () {
  "use strict";

  // <button data-copy="#selector">: copy the element's text to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  // <form data-confirm="Question?">: ask before a destructive submit.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <select data-autosubmit>: submit the form on change; its button is hidden.
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
  });
  // <canvas data-kr-chart="id-of-json-script">: a key result's check-ins against its
  // target, from data the page passed with Django's json_script (CSP forbids inline scripts).
  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function drawKeyResultCharts(root) {
    if (!window.Chart || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-kr-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-kr-chart"));
      if (!source) return;
      var existing = window.Chart.getChart(canvas);
      if (existing) existing.destroy();
      var series = JSON.parse(source.textContent);
      // Start the line at the baseline, so even one check-in shows a direction.
      var labels = ["Start"].concat(series.labels);
      var values = [series.baseline].concat(series.values);
      var unit = series.unit ? " " + series.unit : "";
      var primary = cssVar("--chart-1", "#2443b8");
      var target = cssVar("--chart-2", "#17825a");
      var muted = cssVar("--c-muted", "#566072");
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: labels,
          datasets: [
            {
              label: "Check-ins",
              data: values,
              borderColor: primary,
              backgroundColor: primary,
              pointRadius: 4,
              tension: 0.2
            },
            {
              label: "Target",
              data: labels.map(function () { return series.target; }),
              borderColor: target,
              borderDash: [6, 4],
              pointRadius: 0,
              fill: false
            },
            {
              label: "Baseline",
              data: labels.map(function () { return series.baseline; }),
              borderColor: muted,
              borderDash: [2, 3],
              borderWidth: 1,
              pointRadius: 0,
              fill: false
            }
          ]
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 400 },
          interaction: { mode: "index", intersect: false },
          scales: { y: { ticks: { callback: function (v) { return v + unit; } } } },
          plugins: {
            legend: { position: "bottom" },
            tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + ctx.parsed.y + unit; } } }
          }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawKeyResultCharts(document); });
  // htmx swaps in a key result's card after a check-in: draw its new chart.
  document.addEventListener("htmx:load", function (event) { drawKeyResultCharts(event.target); });

  // <canvas data-turnaround-chart="id-of-json-script">: a team's median and 90th-percentile
  // response and resolution hours per month (customers' turnaround page).
  function drawTurnaroundCharts(root) {
    if (!window.Chart || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-turnaround-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-turnaround-chart"));
      if (!source) return;
      var existing = window.Chart.getChart(canvas);
      if (existing) existing.destroy();
      var data = JSON.parse(source.textContent);
      function line(label, values, colour, dashed) {
        return {
          label: label, data: values, borderColor: colour, backgroundColor: colour,
          borderDash: dashed ? [6, 4] : [], pointRadius: 4, tension: 0, spanGaps: true
        };
      }
      var response = cssVar("--chart-1", "#2443b8");
      var resolution = cssVar("--chart-3", "#c2410c");
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [
            line("Response, median", data.response_median, response, false),
            line("Response, 90th percentile", data.response_p90, response, true),
            line("Resolution, median", data.resolution_median, resolution, false),
            line("Resolution, 90th percentile", data.resolution_p90, resolution, true)
          ]
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 400 },
          interaction: { mode: "index", intersect: false },
          scales: { y: { beginAtZero: true, title: { display: true, text: "hours" } } },
          plugins: {
            legend: { position: "bottom" },
            tooltip: { callbacks: { label: function (ctx) {
              return ctx.dataset.label + ": " + (ctx.parsed.y === null ? "—" : ctx.parsed.y.toFixed(1) + " h");
            } } }
          }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawTurnaroundCharts(document); });

  document.documentElement.classList.add("js");
})();

// Daily work (issue 5): the values-in-action chart and picking a suggested colleague.
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  // <canvas data-values-chart="id-of-json-script">: wins per value per month, stacked.
  function drawValuesCharts(root) {
    if (!window.Chart || !root.querySelectorAll) return;
    root.querySelectorAll("canvas[data-values-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-values-chart"));
      if (!source) return;
      var existing = window.Chart.getChart(canvas);
      if (existing) existing.destroy();
      var data = JSON.parse(source.textContent);
      var colours = [1, 2, 3, 4, 5, 6].map(function (n) { return cssVar("--chart-" + n, "#2443b8"); });
      var labels = data.labels.map(function (iso) {
        var d = new Date(iso + "T00:00:00");
        return d.toLocaleDateString(undefined, { month: "short", year: "numeric" });
      });
      var datasets = Object.keys(data.series).map(function (name, i) {
        return { label: name, data: data.series[name], backgroundColor: colours[i % colours.length] };
      });
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : { duration: 400 },
          scales: {
            x: { stacked: true },
            y: { stacked: true, beginAtZero: true, grace: "5%", ticks: { precision: 0 }, title: { display: true, text: "wins" } }
          },
          plugins: { legend: { position: "bottom" } }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawValuesCharts(document); });
  document.addEventListener("htmx:load", function (event) { drawValuesCharts(event.target); });

  // <button data-pick-select="select-id" data-pick-value="…" data-pick-clear="other-select-id">:
  // choose that option (a suggested colleague) and empty the other choice.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-select]");
    if (!button) return;
    var select = document.getElementById(button.getAttribute("data-pick-select"));
    if (!select) return;
    select.value = button.getAttribute("data-pick-value");
    var other = document.getElementById(button.getAttribute("data-pick-clear"));
    if (other) other.value = "";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    select.focus();
  });
})();

// Menus made of <details> (the admin menu, the user menu): close when the person clicks
// elsewhere or presses Escape, as a menu does; without script they still open and close.
(function () {
  "use strict";

  var MENUS = "details.navmenu[open], details.usermenu[open]";

  document.addEventListener("click", function (event) {
    document.querySelectorAll(MENUS).forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(MENUS).forEach(function (menu) {
      var hadFocus = menu.contains(document.activeElement);
      menu.removeAttribute("open");
      if (hadFocus) menu.querySelector("summary").focus();
    });
  });
})();
