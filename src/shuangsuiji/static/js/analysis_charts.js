// Charts of the analysis page (ECharts, vendored). Every number drawn is also in the page's
// tables, so the page reads the same without JavaScript.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const font = { fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif" };
  // Tooltips drawn inside the chart's SVG: ECharts' HTML tooltips write style="" attributes,
  // which the Content-Security-Policy (no inline styles) refuses.
  const tooltip = (extra = {}) => ({ renderMode: "richText", ...extra });
  const options = {
    merging: () => ({
      textStyle: font,
      tooltip: tooltip(),
      xAxis: { type: "category", data: ["合并前（户次）", "合并后（联合检查）"] },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: [data.merging.before, data.merging.after], label: { show: true, position: "top" } }],
    }),
    classes: () => ({
      textStyle: font,
      tooltip: tooltip({ formatter: (p) => {
        const c = data.classes[p.dataIndex];
        return `${c.name}\n发现问题率 ${c.rate}%（${c.low}%–${c.high}%），n=${c.n}`;
      } }),
      xAxis: { type: "category", data: data.classes.map((c) => c.name) },
      yAxis: { type: "value", name: "%", max: 100 },
      series: [
        { type: "bar", name: "发现问题率", data: data.classes.map((c) => c.rate), label: { show: true, position: "top", formatter: "{c}%" } },
        { type: "custom", name: "95% 置信区间", data: data.classes.map((c, i) => [i, c.low, c.high]),
          renderItem: (params, api) => {
            const low = api.coord([api.value(0), api.value(1)]);
            const high = api.coord([api.value(0), api.value(2)]);
            const half = api.size([1, 0])[0] * 0.1;
            const style = { stroke: "#1f2937", lineWidth: 1.5 };
            return { type: "group", children: [
              { type: "line", shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
              { type: "line", shape: { x1: low[0] - half, y1: low[1], x2: low[0] + half, y2: low[1] }, style },
              { type: "line", shape: { x1: high[0] - half, y1: high[1], x2: high[0] + half, y2: high[1] }, style },
            ] };
          } },
      ],
    }),
    categories: () => ({
      textStyle: font,
      tooltip: tooltip(),
      grid: { left: 200 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.categories.map((c) => c.name).reverse() },
      series: [{ type: "bar", data: data.categories.map((c) => c.value).reverse(), label: { show: true, position: "right" } }],
    }),
    trend: () => ({
      textStyle: font,
      tooltip: tooltip({ trigger: "axis" }),
      xAxis: { type: "category", data: data.trend.map((y) => String(y.year)) },
      yAxis: { type: "value", name: "%" },
      series: [
        { type: "line", name: "发现问题率", data: data.trend.map((y) => y.rate), label: { show: true, formatter: "{c}%" } },
        { type: "line", name: "95% 区间下限", data: data.trend.map((y) => y.low), lineStyle: { type: "dashed" }, symbol: "none" },
        { type: "line", name: "95% 区间上限", data: data.trend.map((y) => y.high), lineStyle: { type: "dashed" }, symbol: "none" },
      ],
    }),
    workload: () => ({
      textStyle: font,
      tooltip: tooltip(),
      grid: { left: 200 },
      xAxis: { type: "value", name: "人次" },
      yAxis: { type: "category", data: data.workload.map((w) => w.name).reverse() },
      series: [{ type: "bar", data: data.workload.map((w) => w.places).reverse() }],
    }),
  };
  document.querySelectorAll("[data-chart]").forEach((element) => {
    const name = element.dataset.chart;
    const rows = name === "categories" || name === "workload" ? data[name].length : 4;
    element.style.height = `${Math.max(240, rows * 28)}px`;
    const chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(options[name]());
    element.dataset.rendered = "true";
    window.addEventListener("resize", () => chart.resize());
  });
})();
