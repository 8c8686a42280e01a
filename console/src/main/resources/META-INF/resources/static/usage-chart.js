// Draws the usage table's data as a stacked bar chart of billable calls per day and product (ECharts, from its
// webjar). The same numbers are in the table beside it, for keyboards and screen readers.
(function () {
  var element = document.getElementById('usage-chart');
  if (!element || typeof echarts === 'undefined') {
    return;
  }
  var rows = JSON.parse(element.getAttribute('data-usage') || '[]');
  var days = [];
  var products = [];
  rows.forEach(function (row) {
    if (days.indexOf(row.period) < 0) { days.push(row.period); }
    if (products.indexOf(row.product) < 0) { products.push(row.product); }
  });
  days.sort();
  var series = products.map(function (product) {
    return {
      name: product, type: 'bar', stack: 'calls',
      data: days.map(function (day) {
        var found = rows.filter(function (row) { return row.period === day && row.product === product; });
        return found.length ? found[0].billable : 0;
      })
    };
  });
  var chart = echarts.init(element, null, { renderer: 'svg' });
  chart.setOption({
    aria: { enabled: true },
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { data: products },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value', name: 'billable calls', minInterval: 1 },
    series: series
  });
  element.setAttribute('data-drawn', String(rows.length));
  window.addEventListener('resize', function () { chart.resize(); });
}());
