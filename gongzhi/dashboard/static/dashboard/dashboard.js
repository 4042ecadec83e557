// 驾驶舱: a line of the chosen figure over the snapshots, and a bar per subdivision. Data comes from the
// json_script block; clicking a figure card (data-gz-figure) switches both charts to it.
(function () {
  var holder = document.getElementById("gz-dashboard-data");
  if (!holder || !window.echarts) return;
  var data = JSON.parse(holder.textContent);
  var history = echarts.init(document.getElementById("gz-history"), null, { renderer: "svg" });
  var children = echarts.init(document.getElementById("gz-children"), null, { renderer: "svg" });
  function fmt(ratio) { return function (v) { return v === null ? "—" : ratio ? (v * 100).toFixed(2) + "%" : v; }; }
  function show(code) {
    var fig = data.figures.filter(function (f) { return f.code === code; })[0];
    if (!fig) return;
    var points = data.history[code] || [];
    document.getElementById("gz-history-title").textContent = fig.label;
    history.setOption({
      tooltip: { trigger: "axis", valueFormatter: fmt(fig.ratio) },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: points.map(function (p) { return p[0]; }) },
      yAxis: { type: "value", axisLabel: { formatter: fmt(fig.ratio) } },
      series: [{ type: "line", data: points.map(function (p) { return p[1]; }), itemStyle: { color: "#b71c1c" } }]
    }, true);
    var i = data.children.codes.indexOf(code);
    document.getElementById("gz-children-title").textContent = fig.label;
    children.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: fmt(fig.ratio) },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: fmt(fig.ratio) } },
      yAxis: { type: "category", inverse: true, data: data.children.names, axisLabel: { width: 96, overflow: "truncate" } },
      series: [{ type: "bar", data: i < 0 ? [] : data.children.values.map(function (r) { return r[i]; }), itemStyle: { color: "#ef9a9a" } }]
    }, true);
    document.querySelectorAll("[data-gz-figure]").forEach(function (el) {
      el.classList.toggle("border", el.getAttribute("data-gz-figure") === code);
      el.classList.toggle("border-danger", el.getAttribute("data-gz-figure") === code);
    });
  }
  document.addEventListener("click", function (event) {
    var card = event.target.closest && event.target.closest("[data-gz-figure]");
    if (card) show(card.getAttribute("data-gz-figure"));
  });
  // Start on the campaign's progress when the place has it, else on the first figure.
  var start = data.figures.filter(function (f) { return f.code === "campaign_progress"; })[0] || data.figures[0];
  if (start) show(start.code);
  window.addEventListener("resize", function () { history.resize(); children.resize(); });
})();
