/**
 * The small script every report runs in the browser: it reads the chart options from the JSON
 * data element, creates one ECharts instance per chart element, keeps charts sized to their
 * boxes (also for printing) and makes table headers sort their columns. Plain ES2017, no
 * dependencies besides the inlined `echarts` global. When done it sets
 * `<html data-mortar-ready="true">` (or `"error"` if a chart failed) for tests and tooling.
 */

/** The id of the `<script type="application/json">` element holding the report's chart options. */
export const DATA_ELEMENT_ID = 'mortar-report-data';

/** The inline client script (JavaScript source). */
export const CLIENT_SCRIPT = `(function () {
  'use strict';
  var root = document.documentElement;
  var data = JSON.parse(document.getElementById('${DATA_ELEMENT_ID}').textContent || '{}');
  var options = data.charts || {};
  var charts = [];
  var failed = false;
  function fail(el, message) {
    failed = true;
    el.classList.add('mr-chart-failed');
    el.textContent = message;
  }
  var els = document.querySelectorAll('[data-mr-chart]');
  for (var i = 0; i < els.length; i++) {
    var el = els[i];
    if (typeof echarts === 'undefined') { fail(el, 'The chart library did not load.'); continue; }
    try {
      var chart = echarts.init(el, null, { renderer: 'canvas' });
      chart.setOption(options[el.id]);
      charts.push(chart);
    } catch (e) {
      console.error(e);
      fail(el, 'This chart could not be drawn: ' + (e && e.message ? e.message : String(e)));
    }
  }
  function resizeAll() { for (var k = 0; k < charts.length; k++) charts[k].resize(); }
  if (typeof ResizeObserver === 'function') {
    var ro = new ResizeObserver(function (entries) {
      for (var k = 0; k < entries.length; k++) {
        var c = echarts.getInstanceByDom(entries[k].target);
        if (c) c.resize();
      }
    });
    for (var j = 0; j < charts.length; j++) ro.observe(charts[j].getDom());
  } else {
    window.addEventListener('resize', resizeAll);
  }
  window.addEventListener('beforeprint', resizeAll);
  window.addEventListener('afterprint', resizeAll);

  function sortKey(cell) {
    var v = cell ? cell.getAttribute('data-v') : null;
    return v === null ? (cell ? cell.textContent : '') : Number(v);
  }
  function compare(a, b) {
    if (typeof a === 'number' && typeof b === 'number') {
      if (isNaN(a)) return isNaN(b) ? 0 : 1;
      if (isNaN(b)) return -1;
      return a - b;
    }
    if (typeof a === 'number') return -1;
    if (typeof b === 'number') return 1;
    return a.localeCompare(b, undefined, { numeric: true });
  }
  var tables = document.querySelectorAll('table.mr-table');
  for (var t = 0; t < tables.length; t++) {
    (function (table) {
      var heads = table.tHead ? table.tHead.rows[0].cells : [];
      for (var h = 0; h < heads.length; h++) {
        (function (th, col) {
          th.addEventListener('click', function () {
            var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
            for (var x = 0; x < heads.length; x++) heads[x].removeAttribute('aria-sort');
            th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (r1, r2) {
              return dir * compare(sortKey(r1.cells[col]), sortKey(r2.cells[col]));
            });
            for (var r = 0; r < rows.length; r++) body.appendChild(rows[r]);
          });
        })(heads[h], h);
      }
    })(tables[t]);
  }
  root.setAttribute('data-mortar-ready', failed ? 'error' : 'true');
})();`;
