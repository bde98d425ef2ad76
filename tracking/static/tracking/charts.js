// Dashboard and target charts; the data comes from json_script blocks rendered by the views.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  Chart.defaults.maintainAspectRatio = false;

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function goTo(canvas, links, index) {
    if (links && links[index]) window.location.href = links[index];
  }

  var charts = data("dashboard-charts");
  if (charts) {
    var matrix = document.getElementById("chart-matrix");
    if (matrix) {
      new Chart(matrix, {
        type: "doughnut",
        data: { labels: charts.matrix.labels, datasets: [{ data: charts.matrix.values, backgroundColor: charts.matrix.colours }] },
        options: { plugins: { legend: { position: "bottom" } },
          onClick: function (e, items) { if (items.length) goTo(matrix, charts.matrix.links, items[0].index); } }
      });
    }
    var areas = document.getElementById("chart-areas");
    if (areas) {
      new Chart(areas, {
        type: "bar",
        data: { labels: charts.areas.labels, datasets: charts.areas.series.map(function (s) {
          return { label: s.label, data: s.values, backgroundColor: s.colour };
        }) },
        options: { indexAxis: "y", scales: { x: { stacked: true }, y: { stacked: true } },
          plugins: { legend: { position: "bottom" } },
          onClick: function (e, items) { if (items.length) goTo(areas, charts.areas.links, items[0].index); } }
      });
    }
    var rag = document.getElementById("chart-rag");
    if (rag) {
      new Chart(rag, {
        type: "doughnut",
        data: { labels: charts.rag.labels, datasets: [{ data: charts.rag.values, backgroundColor: charts.rag.colours }] },
        options: { plugins: { legend: { position: "bottom" } },
          onClick: function (e, items) { if (items.length) goTo(rag, charts.rag.links, items[0].index); } }
      });
    }
    var punct = document.getElementById("chart-punctuality");
    if (punct) {
      new Chart(punct, {
        type: "bar",
        data: { labels: charts.punctuality.labels, datasets: [{ label: "%", data: charts.punctuality.values, backgroundColor: "#8a1c1c" }] },
        options: { indexAxis: "y", scales: { x: { min: 0, max: 100 } }, plugins: { legend: { display: false } },
          onClick: function (e, items) { if (items.length) goTo(punct, charts.punctuality.links, items[0].index); } }
      });
    }
  }

  var target = data("target-chart-data");
  var canvas = document.getElementById("target-chart");
  if (target && canvas) {
    var sets = [{ label: target.actual_label, data: target.values, borderColor: "#8a1c1c", backgroundColor: "#8a1c1c", tension: 0.2 }];
    if (target.target !== null) {
      sets.push({ label: target.target_label, data: target.labels.map(function () { return target.target; }), borderColor: "#198754", borderDash: [6, 4], pointRadius: 0 });
    }
    new Chart(canvas, { type: "line", data: { labels: target.labels, datasets: sets }, options: { plugins: { legend: { position: "bottom" } } } });
  }
})();
