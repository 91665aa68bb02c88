// Importance-performance scatter of the key driver page (Martilla & James 1977). The page works without it:
// the same data is in the tables below the chart.
(function () {
  var node = document.getElementById("ipa-data");
  var canvas = document.getElementById("ipa-chart");
  if (!node || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(node.textContent);
  var points = data.points;
  var colours = {
    "key weakness": "#b3261e",
    "key strength": "#1b7a36",
    "secondary weakness": "#8a5a00",
    "secondary strength": "#0b5cad"
  };
  var maxImp = Math.max.apply(null, points.map(function (p) { return p.importance; }).concat([data.importance_split]));
  var perf = points.map(function (p) { return p.performance; }).concat([data.performance_split]);
  var lowPerf = Math.min.apply(null, perf), highPerf = Math.max.apply(null, perf);
  var pad = Math.max(5, (highPerf - lowPerf) * 0.25);

  // Cross-hairs at the two splits, the quadrant names in the corners, and each point's question (shortened).
  var quadrants = {
    id: "ipaQuadrants",
    beforeDatasetsDraw: function (chart) {
      var ctx = chart.ctx, x = chart.scales.x, y = chart.scales.y, area = chart.chartArea;
      var cx = x.getPixelForValue(data.importance_split), cy = y.getPixelForValue(data.performance_split);
      ctx.save();
      ctx.fillStyle = "rgba(179,38,30,0.06)"; // key weakness: high importance, low performance
      ctx.fillRect(cx, cy, area.right - cx, area.bottom - cy);
      ctx.strokeStyle = "#8a939e";
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(cx, area.top); ctx.lineTo(cx, area.bottom);
      ctx.moveTo(area.left, cy); ctx.lineTo(area.right, cy);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = "600 12px system-ui, sans-serif";
      var corner = function (text, action, colour, right, top) {
        ctx.fillStyle = colour;
        ctx.textAlign = right ? "right" : "left";
        var tx = right ? area.right - 6 : area.left + 6;
        var ty = top ? area.top + 14 : area.bottom - 20;
        ctx.fillText(text, tx, ty);
        ctx.font = "12px system-ui, sans-serif";
        ctx.fillText(action, tx, ty + 14);
        ctx.font = "600 12px system-ui, sans-serif";
      };
      corner("Key strength", "maintain", colours["key strength"], true, true);
      corner("Key weakness", "fix first", colours["key weakness"], true, false);
      corner("Possible overkill", "secondary strength", colours["secondary strength"], false, true);
      corner("Low priority", "secondary weakness", colours["secondary weakness"], false, false);
      ctx.restore();
    },
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, meta = chart.getDatasetMeta(0);
      ctx.save();
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillStyle = "#1b1f24";
      ctx.textAlign = "left";
      meta.data.forEach(function (el, i) { ctx.fillText(points[i].short || points[i].text, el.x + 8, el.y - 6); });
      ctx.restore();
    }
  };

  new Chart(canvas, {
    type: "scatter",
    data: {
      datasets: [{
        label: "Drivers",
        data: points.map(function (p) { return { x: p.importance, y: p.performance }; }),
        pointRadius: 6,
        pointHoverRadius: 8,
        borderWidth: 2,
        // Hollow: a borderline driver, whose interval crosses a cross-hair.
        borderColor: points.map(function (p) { return colours[p.quadrant] || "#0b5cad"; }),
        backgroundColor: points.map(function (p) { return p.clear ? (colours[p.quadrant] || "#0b5cad") : "#fff"; })
      }]
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      layout: { padding: { right: 16 } },
      scales: {
        x: { min: 0, suggestedMax: Math.ceil(maxImp * 1.15 + 1), title: { display: true, text: "Importance (% of explained variance)" } },
        y: { suggestedMin: Math.max(0, Math.floor(lowPerf - pad)), suggestedMax: Math.min(100, Math.ceil(highPerf + pad)),
             title: { display: true, text: "Performance (mean rating, 0–100)" } }
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (ctx) {
          var p = points[ctx.dataIndex];
          return p.text + " — importance " + p.importance.toFixed(1) + "%, performance " + p.performance.toFixed(0) +
            " (" + p.quadrant + (p.clear ? "" : ", borderline") + ")";
        } } }
      }
    },
    plugins: [quadrants]
  });
  document.documentElement.dataset.chartReady = "1";
})();
