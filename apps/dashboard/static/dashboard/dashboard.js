/* The dashboard's charts (Apache ECharts), drawn from the tables' data that the page passes
   with json_script: no inline script, no inline style (the site's CSP). */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  var root = document.getElementById("dashboard");
  if (!source || !root || typeof echarts === "undefined") { return; }
  var panels = JSON.parse(source.textContent);
  var emptyText = root.getAttribute("data-empty") || "";
  var palette = ["#c8161d", "#f0a020", "#2f7ed8", "#3aa675", "#8e5ea2", "#e8505b", "#5c6b7a", "#13a8a8"];
  var charts = [];

  function number(value) {
    if (value === null || value === undefined || value === "") { return null; }
    var parsed = parseFloat(String(value).replace(/[,%]/g, ""));
    return isNaN(parsed) ? null : parsed;
  }

  function narrow() { return window.innerWidth < 576 && !document.fullscreenElement; }

  function option(panel) {
    var labels = panel.rows.map(function (row) { return String(row[0]); });
    var hasData = panel.rows.some(function (row) {
      return panel.series.some(function (i) { return number(row[i]); });
    });
    var base = {
      color: palette,
      animation: false,
      tooltip: { trigger: panel.chart === "pie" ? "item" : "axis", confine: true },
      textStyle: { fontFamily: "system-ui, 'Noto Sans CJK SC', sans-serif" }
    };
    if (!hasData) {
      base.title = { text: emptyText, left: "center", top: "middle", textStyle: { color: "#999", fontSize: 14 } };
      return base;
    }
    if (panel.chart === "pie") {
      var col = panel.series[0];
      base.legend = { type: "scroll", bottom: 0 };
      base.series = [{
        type: "pie", radius: narrow() ? ["30%", "58%"] : ["35%", "65%"], center: ["50%", "45%"],
        name: panel.columns[col],
        label: narrow() ? { position: "inside", formatter: "{c}", color: "#fff" } : { formatter: "{b}\n{c}" },
        data: panel.rows.map(function (row) { return { name: String(row[0]), value: number(row[col]) }; })
          .filter(function (item) { return item.value; })
      }];
      return base;
    }
    var many = labels.length > 6 || narrow();
    base.legend = { type: "scroll", top: 0 };
    base.grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
    var category = {
      type: "category", data: labels,
      axisLabel: { interval: 0, rotate: many && panel.chart !== "line" ? 35 : 0, hideOverlap: true,
                   width: 90, overflow: "truncate" }
    };
    if (panel.chart === "line") { category.axisLabel.rotate = 0; category.axisLabel.interval = "auto"; }
    base.xAxis = category;
    base.yAxis = { type: "value", minInterval: 1 };
    base.series = panel.series.map(function (i) {
      return {
        type: panel.chart === "line" ? "line" : "bar", name: panel.columns[i],
        barMaxWidth: 28,
        data: panel.rows.map(function (row) { return number(row[i]); })
      };
    });
    return base;
  }

  panels.forEach(function (panel) {
    var element = document.getElementById("chart-" + panel.id);
    if (!element) { return; }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(option(panel));
    element.setAttribute("data-rendered", "1");
    charts.push({ chart: chart, panel: panel });
  });

  function redraw() {
    charts.forEach(function (item) {
      item.chart.setOption(option(item.panel), true);
      item.chart.resize();
    });
  }
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(redraw, 150);
  });

  var button = document.getElementById("dashboard-fullscreen");
  if (button && document.fullscreenEnabled) {
    button.hidden = false;
    button.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { root.requestFullscreen(); }
    });
    document.addEventListener("fullscreenchange", function () {
      var on = document.fullscreenElement === root;
      root.classList.toggle("is-fullscreen", on);
      button.querySelector("[data-enter]").hidden = on;
      button.querySelector("[data-exit]").hidden = !on;
      window.setTimeout(redraw, 100);
    });
  }
})();
