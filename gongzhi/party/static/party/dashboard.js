// Coverage charts: one horizontal bar chart per breakdown, data from the json_script beside each chart.
(function () {
  document.querySelectorAll(".gz-chart").forEach(function (el) {
    var data = JSON.parse(document.getElementById(el.id + "-data").textContent);
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: [{ type: "value", name: "" }, { type: "value", max: 100, show: false }],
      yAxis: { type: "category", data: data.names, inverse: true, axisLabel: { width: el.clientWidth < 500 ? 64 : 96, overflow: "truncate" } },
      series: [
        // Series names come translated from the server (data.labels), like every other label on the page.
        { name: data.labels.compounds, type: "bar", data: data.compounds, itemStyle: { color: "#cfd8dc" } },
        { name: data.labels.qualifying, type: "bar", data: data.qualifying, itemStyle: { color: "#b71c1c" } },
        { name: data.labels.covered, type: "bar", data: data.covered, itemStyle: { color: "#ef9a9a" } },
        { name: data.labels.groups, type: "bar", data: data.groups, itemStyle: { color: "#ffb300" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
