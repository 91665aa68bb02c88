// Draws the NPS trend with its 95% interval band. The page works without it (table fallback).
(function () {
  var node = document.getElementById("trend-data");
  var canvas = document.getElementById("trend-chart");
  if (!node || !canvas || typeof Chart === "undefined") return;
  var rows = JSON.parse(node.textContent);
  var labels = rows.map(function (r) { return r.label; });
  // Suppressed periods (fewer than 30 answers) are left out of the line rather than drawn as noise.
  var pick = function (k) {
    return rows.map(function (r) { return r.nps.reliability === "suppressed" ? null : r.nps[k]; });
  };
  new Chart(canvas, {
    type: "line",
    data: {
      labels: labels,
      datasets: [
        { label: "95% CI high", data: pick("high"), borderWidth: 0, pointRadius: 0, fill: "+1",
          backgroundColor: "rgba(11,92,173,0.15)" },
        { label: "95% CI low", data: pick("low"), borderWidth: 0, pointRadius: 0, fill: false },
        { label: "NPS", data: pick("value"), borderColor: "#0b5cad", backgroundColor: "#0b5cad", tension: 0.2 }
      ]
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { suggestedMin: -100, suggestedMax: 100, title: { display: true, text: "NPS" } } },
      plugins: {
        legend: { labels: { filter: function (item) { return item.text === "NPS"; } } },
        tooltip: { callbacks: { afterLabel: function (ctx) {
          var r = rows[ctx.dataIndex]; return "n = " + r.nps.n; } } }
      }
    }
  });
  document.documentElement.dataset.chartReady = "1";
})();
