/* 全区图表 (/district/charts): the four charts drawn with the vendored ECharts from the page's own
 * JSON data element (#chart-data, the answer of GET /api/v1/district/charts). No inline script, no
 * HTML tooltip (the CSP refuses its style attributes): tooltips are drawn on the canvas (richText).
 * Every number is also in the table beside its chart. */
(function () {
  'use strict';
  var source = document.getElementById('chart-data');
  if (!source || typeof echarts === 'undefined') { return; }
  var data = JSON.parse(source.textContent);
  var narrow = window.matchMedia('(max-width: 600px)').matches;
  var drawn = [];
  var pending = 0;
  var COLORS = ['#b71c1c', '#0b57a4', '#2e7d32', '#7a4a00', '#6a1b9a'];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, {renderer: 'canvas'});
    pending += 1;
    chart.on('finished', function () {
      if (!el.hasAttribute('data-drawn')) {
        el.setAttribute('data-drawn', 'true');
        pending -= 1;
        if (pending === 0) { document.body.setAttribute('data-charts', 'drawn'); }
      }
    });
    chart.setOption(Object.assign({animation: false, color: COLORS,
      tooltip: {renderMode: 'richText', trigger: 'axis', confine: true},
      textStyle: {fontSize: narrow ? 11 : 12}}, option));
    drawn.push(chart);
  }

  function label(row) { return row.code + (row.name && !narrow ? ' ' + row.name : ''); }

  var p = data.progress;
  draw('chart-progress', {
    legend: {top: 0, type: 'scroll'},
    grid: {left: 40, right: 16, top: 40, bottom: 40, containLabel: true},
    xAxis: {type: 'category', data: p.days.map(function (d) { return d.slice(5); }), boundaryGap: false},
    yAxis: {type: 'value', max: Math.max(p.total, 1), minInterval: 1, name: '支部数'},
    series: p.series.map(function (s) {
      return {name: s.label, type: 'line', step: 'end', symbol: 'none', data: s.sent,
              markLine: {symbol: 'none', silent: true, label: {formatter: s.label + '期限', position: 'insideEndTop'},
                         data: [{xAxis: s.deadline.slice(5)}]}};
    })
  });

  var m = data.members;
  var rows = m.top.slice().reverse();
  var names = rows.map(label);
  if (m.rest.branches) { names.unshift('其余' + m.rest.branches + '个支部'); }
  draw('chart-members', {
    legend: {top: 0},
    grid: {left: 8, right: 16, top: 32, bottom: 8, containLabel: true},
    xAxis: {type: 'value', minInterval: 1},
    yAxis: {type: 'category', data: names, axisLabel: {width: narrow ? 90 : 200, overflow: 'truncate'}},
    series: m.categories.map(function (c) {
      var values = rows.map(function (r) { return r[c.key]; });
      if (m.rest.branches) { values.unshift(m.rest[c.key]); }
      return {name: c.label, type: 'bar', stack: 'members', data: values};
    })
  });

  var f = data.findings;
  if (f.rules.length) {
    var rules = f.rules.slice().reverse();
    draw('chart-findings', {
      tooltip: {renderMode: 'richText', trigger: 'axis', confine: true},
      grid: {left: 8, right: 24, top: 8, bottom: 8, containLabel: true},
      xAxis: {type: 'value', minInterval: 1},
      yAxis: {type: 'category', data: rules.map(function (r) { return r.title; }),
              axisLabel: {width: narrow ? 110 : 260, overflow: 'truncate'}},
      series: [{name: '提示条数', type: 'bar', data: rules.map(function (r) { return r.count; }),
                label: {show: true, position: 'right'}}]
    });
  }

  var y = data.years;
  if (y.available) {
    var yrows = y.top.slice();
    var ynames = yrows.map(label);
    draw('chart-years', {
      legend: {top: 0},
      grid: {left: 8, right: 16, top: 32, bottom: 8, containLabel: true},
      xAxis: {type: 'category', data: ynames, axisLabel: {rotate: narrow ? 60 : 30, width: 120, overflow: 'truncate'}},
      yAxis: {type: 'value', minInterval: 1, name: y.label},
      series: y.campaigns.map(function (c, i) {
        return {name: c.label, type: 'bar', data: yrows.map(function (r) { return r.values[i]; })};
      })
    });
  }
  if (pending === 0) { document.body.setAttribute('data-charts', 'drawn'); }

  var timer = null;
  window.addEventListener('resize', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { drawn.forEach(function (c) { c.resize(); }); }, 150);
  });
}());
