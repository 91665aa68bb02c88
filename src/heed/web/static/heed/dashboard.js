// Draws the trend of the chosen figure (NPS, CSAT, CES) with its 95% interval band, on an axis the
// server fitted to the data (heed.web.trend_chart). The page works without it (table fallback).
(function () {
  var node = document.getElementById("trend-data");
  var canvas = document.getElementById("trend-chart");
  var picker = document.getElementById("trend-metric");
  if (!node || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(node.textContent);
  var byKey = {};
  data.metrics.forEach(function (m) { byKey[m.key] = m; });
  var pick = function (metric, k) { return metric.points.map(function (p) { return p[k]; }); };

  var chart = new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: [] },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      // the server's bounds hold the data; ticks stay at round steps inside them (no "60, 70" pile-up at the top)
      scales: { y: { title: { display: true }, ticks: { includeBounds: false } } },
      plugins: {
        legend: { labels: { filter: function (item) { return item.datasetIndex === 2; } } },
        tooltip: { callbacks: { afterLabel: function (ctx) {
          var m = byKey[chart.$metric]; var p = m.points[ctx.dataIndex];
          return "95% CI " + p.low + " – " + p.high + " · n = " + p.n; } } }
      }
    }
  });

  function show(key) {
    var metric = byKey[key] || data.metrics[0];
    chart.$metric = metric.key;
    chart.data.datasets = [
      { label: "95% CI high", data: pick(metric, "high"), borderWidth: 0, pointRadius: 0, fill: "+1",
        backgroundColor: "rgba(11,92,173,0.15)" },
      { label: "95% CI low", data: pick(metric, "low"), borderWidth: 0, pointRadius: 0, fill: false },
      { label: metric.label, data: pick(metric, "value"), borderColor: "#0b5cad", backgroundColor: "#0b5cad",
        tension: 0 }
    ];
    chart.options.scales.y.min = metric.min;
    chart.options.scales.y.max = metric.max;
    chart.options.scales.y.title.text = metric.label;
    chart.update();
    canvas.dataset.metric = metric.key;
    canvas.dataset.axisMin = metric.min;
    canvas.dataset.axisMax = metric.max;
  }

  if (picker) picker.addEventListener("change", function () { show(picker.value); });
  show(picker ? picker.value : "nps");
  document.documentElement.dataset.chartReady = "1";
})();
