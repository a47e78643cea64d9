// The backtest report's page: draws one (trader, symbol) at a time from the
// JSON the runtime embedded (id "vyx-data"), with lightweight-charts, and
// records what it drew on <body> (data-rendered, data-markers, ...; any error
// in data-error) so that a headless browser's DOM dump can be checked.
(function () {
  'use strict';
  var body = document.body;
  function fail(message) {
    var before = body.getAttribute('data-error');
    body.setAttribute('data-error', (before ? before + '; ' : '') + message);
  }
  window.addEventListener('error', function (event) { fail(String(event.message || event)); });
  var consoleError = console.error;
  console.error = function () {
    fail(Array.prototype.join.call(arguments, ' '));
    consoleError.apply(console, arguments);
  };

  var LC = window.LightweightCharts;
  var data = JSON.parse(document.getElementById('vyx-data').textContent);
  var colors = ['#ff9800', '#2962ff', '#9c27b0', '#795548', '#e91e63', '#00bcd4', '#607d8b'];
  var chart = null;

  function seconds(ms) { return Math.floor(ms / 1000); }
  function percent(x) { return x === null || x === undefined ? '\u2013' : (x * 100).toFixed(2) + '%'; }
  function utc(time) { return new Date(time * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'; }
  function element(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (className) e.className = className;
    return e;
  }
  function number(x) {
    if (x === null || x === undefined) return '\u2013';
    var magnitude = Math.abs(x);
    if (Number.isInteger(x)) return String(x);
    return magnitude >= 1000 ? x.toFixed(2) : x.toPrecision(6);
  }

  // Enough decimals for the cheapest coin's price to move.
  function pricePrecision(bars) {
    var low = Infinity;
    bars.l.forEach(function (v) { if (v > 0 && v < low) low = v; });
    if (!isFinite(low)) return 2;
    return Math.min(10, Math.max(2, Math.ceil(-Math.log10(low)) + 4));
  }

  // A panel's values have their own scale: enough decimals for the largest to show.
  function panelFormat(points) {
    var largest = 0;
    points.forEach(function (p) { if (p[1] !== null) largest = Math.max(largest, Math.abs(p[1])); });
    var precision = largest > 0 && largest < 1 ? Math.min(10, Math.ceil(-Math.log10(largest)) + 3) : 2;
    return { type: 'price', precision: precision, minMove: Math.pow(10, -precision) };
  }

  function candleData(bars) {
    var out = [];
    for (var i = 0; i < bars.t.length; i++)
      out.push({ time: seconds(bars.t[i]), open: bars.o[i], high: bars.h[i], low: bars.l[i], close: bars.c[i] });
    return out;
  }

  // (time ms, value) pairs, whatever their source: the chart wants strictly
  // ascending whole seconds, so they are sorted and the last value of a second
  // wins; a null value is a gap.
  function pointData(points) {
    var sorted = points.slice().sort(function (a, b) { return a[0] - b[0]; });
    var out = [];
    sorted.forEach(function (p) {
      var point = p[1] === null ? { time: seconds(p[0]) } : { time: seconds(p[0]), value: p[1] };
      if (out.length && out[out.length - 1].time === point.time) out[out.length - 1] = point;
      else out.push(point);
    });
    return out;
  }

  function addSeries(s, color, priceFormat) {
    var pane = s.panel ? 1 : 0;
    var common = { color: color, title: s.name, priceLineVisible: false, lastValueVisible: true };
    common.priceFormat = s.panel ? panelFormat(s.points) : priceFormat;
    if (s.kind === 'bar') return chart.addSeries(LC.HistogramSeries, common, pane);
    common.lineWidth = 2;
    if (s.kind === 'points') {
      common.lineVisible = false;
      common.pointMarkersVisible = true;
    }
    return chart.addSeries(LC.LineSeries, common, pane);
  }

  function showLegend(view, bar, series, signal, time) {
    var legend = document.getElementById('legend');
    legend.textContent = '';
    if (!bar) return;
    var line = view.symbol + ' ' + view.timeframe + '  ' + utc(time) + '  O ' + number(bar.open) + '  H ' +
      number(bar.high) + '  L ' + number(bar.low) + '  C ' + number(bar.close);
    legend.appendChild(element('div', line));
    var values = series.map(function (s) { return s.name + ' ' + number(s.value); }).join('   ');
    if (values) legend.appendChild(element('div', values));
    if (signal) {
      var emitted = signal.values.map(function (v) { return v[0] + '=' + number(v[1]); }).join('  ');
      legend.appendChild(element('div', '\u25b2 signal at close ' + number(signal.price) + (emitted ? ':  ' + emitted : ''), 'better'));
    }
  }

  function draw(trader, view) {
    if (chart) chart.remove();
    var bars = data.candles[view.candles];
    var precision = pricePrecision(bars);
    var priceFormat = { type: 'price', precision: precision, minMove: Math.pow(10, -precision) };
    chart = LC.createChart(document.getElementById('chart'), {
      autoSize: true,
      layout: { background: { color: '#ffffff' }, textColor: '#333' },
      timeScale: { timeVisible: true, secondsVisible: false },
      crosshair: { mode: LC.CrosshairMode.Normal },
    });
    var candles = chart.addSeries(LC.CandlestickSeries, {
      upColor: '#26a69a', downColor: '#ef5350', borderVisible: false,
      wickUpColor: '#26a69a', wickDownColor: '#ef5350', priceFormat: priceFormat,
    });
    candles.setData(candleData(bars));
    var drawn = view.series.map(function (s, k) {
      var api = addSeries(s, colors[k % colors.length], priceFormat);
      api.setData(pointData(s.points));
      return { name: s.name, api: api };
    });
    if (chart.panes().length > 1) chart.panes()[1].setHeight(160);

    // A signal belongs to the candle that closed at its time.
    var signalAt = {};
    var markers = view.markers.map(function (m) {
      var time = seconds(m.candle);
      signalAt[time] = m;
      return { time: time, position: 'belowBar', color: '#2962ff', shape: 'arrowUp' };
    });
    var markerApi = LC.createSeriesMarkers(candles, markers);

    chart.subscribeCrosshairMove(function (param) {
      var time = param.time;
      var bar = time === undefined ? null : param.seriesData.get(candles);
      if (!bar) {  // off the chart: the newest candle
        var last = bars.t.length - 1;
        if (last < 0) return showLegend(view, null, [], null, 0);
        time = seconds(bars.t[last]);
        bar = { open: bars.o[last], high: bars.h[last], low: bars.l[last], close: bars.c[last] };
      }
      var values = drawn.map(function (s) {
        var point = param.seriesData ? param.seriesData.get(s.api) : undefined;
        return { name: s.name, value: point && point.value !== undefined ? point.value : null };
      });
      showLegend(view, bar, values, signalAt[time], time);
    });
    chart.timeScale().fitContent();
    if (bars.t.length) {
      var last = bars.t.length - 1;
      showLegend(view, { open: bars.o[last], high: bars.h[last], low: bars.l[last], close: bars.c[last] },
                 [], signalAt[seconds(bars.t[last])], seconds(bars.t[last]));
    }

    body.setAttribute('data-trader', trader.id);
    body.setAttribute('data-symbol', view.symbol);
    body.setAttribute('data-candles', String(bars.t.length));
    body.setAttribute('data-series', String(drawn.length));
    body.setAttribute('data-panes', String(chart.panes().length));
    body.setAttribute('data-markers', String(markerApi.markers().length));
  }

  var statColumns = ['count', 'mean', 'median', 'hit_rate', 'best', 'worst', 'past_end'];
  var statHeaders = ['n', 'mean', 'median', 'hit rate', 'best', 'worst', 'past end'];

  function statCells(row, stats, against) {
    statColumns.forEach(function (key) {
      var v = stats[key];
      var cell = element('td', key === 'count' || key === 'past_end' ? String(v) : percent(v));
      if (against && (key === 'mean' || key === 'hit_rate') && v !== null && against[key] !== null)
        cell.className = v > against[key] ? 'better' : v < against[key] ? 'worse' : '';
      row.appendChild(cell);
    });
  }

  function qualityTable(trader, symbolQuality, symbol) {
    var table = document.getElementById('quality');
    table.textContent = '';
    var head = element('tr');
    head.appendChild(element('th', 'scope'));
    head.appendChild(element('th', 'h'));
    statHeaders.forEach(function (h) { head.appendChild(element('th', 'signals ' + h)); });
    statHeaders.forEach(function (h) { head.appendChild(element('th', 'baseline ' + h)); });
    table.appendChild(head);
    var scopes = [['all symbols', trader.quality.horizons]];
    if (symbolQuality) scopes.push([symbol, symbolQuality.horizons]);
    scopes.forEach(function (scope) {
      scope[1].forEach(function (h) {
        var row = element('tr');
        row.appendChild(element('td', scope[0]));
        row.appendChild(element('td', String(h.horizon)));
        statCells(row, h.signals, h.baseline);
        statCells(row, h.baseline, null);
        table.appendChild(row);
      });
    });
    document.getElementById('quality-title').textContent = trader.id + ' on ' + trader.timeframe + ' candles';
  }

  function perSymbolTable(trader, selected, select) {
    var table = document.getElementById('per-symbol');
    table.textContent = '';
    var head = element('tr');
    head.appendChild(element('th', 'symbol'));
    head.appendChild(element('th', 'signals'));
    data.horizons.forEach(function (h) {
      head.appendChild(element('th', 'mean ' + h));
      head.appendChild(element('th', 'baseline ' + h));
      head.appendChild(element('th', 'hit rate ' + h));
    });
    table.appendChild(head);
    var charted = {};
    trader.charts.forEach(function (c) { charted[c.symbol] = true; });
    trader.quality.symbols.forEach(function (q) {
      var row = element('tr');
      if (charted[q.symbol]) {
        row.setAttribute('data-symbol', q.symbol);
        row.title = 'show ' + q.symbol;
        row.addEventListener('click', function () { select(q.symbol); });
      }
      if (q.symbol === selected) row.className = 'selected';
      row.appendChild(element('td', q.symbol + (charted[q.symbol] ? '' : ' (not charted)')));
      row.appendChild(element('td', String(q.signals)));
      q.horizons.forEach(function (h) {
        var mean = element('td', percent(h.signals.mean));
        if (h.signals.mean !== null && h.baseline.mean !== null)
          mean.className = h.signals.mean > h.baseline.mean ? 'better' : h.signals.mean < h.baseline.mean ? 'worse' : '';
        row.appendChild(mean);
        row.appendChild(element('td', percent(h.baseline.mean)));
        row.appendChild(element('td', percent(h.signals.hit_rate)));
      });
      table.appendChild(row);
    });
  }

  function wanted() {
    var out = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      var eq = part.indexOf('=');
      if (eq > 0) out[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
    });
    return out;
  }

  function remember(trader, symbol) {
    try {
      history.replaceState(null, '', '#trader=' + encodeURIComponent(trader) + '&symbol=' + encodeURIComponent(symbol));
    } catch (e) { /* a page opened from a file may refuse; the selection still works */ }
  }

  var traderSelect = document.getElementById('trader');
  var symbolSelect = document.getElementById('symbol');

  function showSymbol(trader, symbol) {
    var view = trader.charts.filter(function (c) { return c.symbol === symbol; })[0] || trader.charts[0];
    symbolSelect.value = view.symbol;
    var symbolQuality = trader.quality.symbols.filter(function (q) { return q.symbol === view.symbol; })[0];
    qualityTable(trader, symbolQuality, view.symbol);
    perSymbolTable(trader, view.symbol, function (s) { showSymbol(trader, s); });
    draw(trader, view);
    remember(trader.id, view.symbol);
  }

  function showTrader(trader, symbol) {
    traderSelect.value = trader.id;
    symbolSelect.textContent = '';
    trader.charts.forEach(function (c) {
      var option = element('option', c.symbol + ' \u2014 ' + c.signals + (c.signals === 1 ? ' signal' : ' signals'));
      option.value = c.symbol;
      symbolSelect.appendChild(option);
    });
    document.getElementById('summary').textContent = trader.quality.signals + ' signals on ' + trader.timeframe +
      (trader.quality.unplaced ? ' (' + trader.quality.unplaced + ' not measured)' : '') + '; ' +
      trader.charts.length + ' of ' + data.symbol_count + ' symbols charted';
    if (!trader.charts.length) {
      if (chart) { chart.remove(); chart = null; }
      qualityTable(trader, null, '');
      perSymbolTable(trader, '', function () {});
      body.setAttribute('data-markers', '0');
      return;
    }
    showSymbol(trader, symbol);
  }

  function traderById(id) { return data.traders.filter(function (t) { return t.id === id; })[0]; }

  data.traders.forEach(function (t) {
    var option = element('option', t.id + ' \u2014 ' + t.quality.signals + ' signals');
    option.value = t.id;
    traderSelect.appendChild(option);
  });
  traderSelect.addEventListener('change', function () { showTrader(traderById(traderSelect.value)); });
  symbolSelect.addEventListener('change', function () { showSymbol(traderById(traderSelect.value), symbolSelect.value); });

  var initial = wanted();
  if (data.traders.length) {
    var first = traderById(initial.trader) || data.traders[0];
    if (initial.trader && first.id !== initial.trader) fail('no trader ' + initial.trader + ' in this report');
    showTrader(first, initial.symbol);
    if (initial.symbol && body.getAttribute('data-symbol') !== initial.symbol)
      fail('no chart of ' + initial.symbol + ' for ' + first.id + ' in this report');
  } else {
    document.getElementById('summary').textContent = 'no trader loaded';
    body.setAttribute('data-markers', '0');
  }
  body.setAttribute('data-rendered', 'ok');
})();
