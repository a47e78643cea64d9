// Renders the backtest chart page. Data goes in as one JSON object; the
// inline script draws each panel as SVG and reports what it drew on <body>.
#include "vyx/runtime/backtest/html_chart.hpp"

#include <cmath>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {
namespace {

// JSON inside <script>: "</" must not appear literally.
std::string script_safe(std::string json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '<' && i + 1 < json.size() && json[i + 1] == '/')
      out += "<\\";
    else
      out += json[i];
  }
  return out;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Free points (x, y) are drawn as a line at their own times x (ms), written
// as integers like the candles' times when they are whole.
std::string points_json(const struct plot_result::series& s) {
  std::string t, v;
  for (std::size_t i = 0; i + 1 < s.values.size(); i += 2) {
    const double x = s.values[i];
    const bool whole = x == std::trunc(x) && std::fabs(x) < 9e15;
    t += (i ? "," : "") + (whole ? std::to_string(static_cast<std::int64_t>(x)) : json_number(x));
    v += (i ? "," : "") + json_number(s.values[i + 1]);
  }
  return "{\"name\":\"" + json_escape(s.name) + "\",\"panel\":" + (s.panel ? "true" : "false") +
         ",\"kind\":\"line\",\"t\":[" + t + "],\"v\":[" + v + "]}";
}

std::string panel_json(const chart_panel& p) {
  std::string j = "{\"trader\":\"" + json_escape(p.trader) + "\",\"symbol\":\"" +
                  json_escape(p.symbol) + "\",\"timeframe\":\"" + timeframe_name(p.timeframe) +
                  "\",\"interval\":" + std::to_string(timeframe_ms(p.timeframe)) + ",\"t\":[";
  auto column = [&](auto get) {
    std::string c;
    for (std::size_t i = 0; i < p.candles.size(); ++i) {
      if (i) c += ',';
      c += get(p.candles[i]);
    }
    return c;
  };
  j += column([](const candle& c) { return std::to_string(c.open_time); });
  j += "],\"o\":[" + column([](const candle& c) { return json_number(c.open); });
  j += "],\"h\":[" + column([](const candle& c) { return json_number(c.high); });
  j += "],\"l\":[" + column([](const candle& c) { return json_number(c.low); });
  j += "],\"c\":[" + column([](const candle& c) { return json_number(c.close); });
  j += "],\"series\":[";
  bool first = true;
  for (const auto& s : p.series.series) {
    if (s.kind == VYX_PLOT_POINTS) {
      j += std::string(first ? "" : ",") + points_json(s);
      first = false;
      continue;
    }
    // Place each value at the open time of its own timeframe's candle.
    const auto& own = s.timeframe < VYX_TIMEFRAME_COUNT ? p.series_candles[s.timeframe] : p.candles;
    const std::size_t n = std::min(s.values.size(), own.size());
    const std::size_t skip_values = s.values.size() - n, skip_candles = own.size() - n;
    if (!first) j += ',';
    first = false;
    j += "{\"name\":\"" + json_escape(s.name) + "\",\"panel\":" + (s.panel ? "true" : "false") +
         ",\"kind\":\"" + (s.kind == VYX_PLOT_BAR ? "bar" : "line") + "\",\"t\":[";
    for (std::size_t i = 0; i < n; ++i)
      j += (i ? "," : "") + std::to_string(own[skip_candles + i].open_time);
    j += "],\"v\":[";
    for (std::size_t i = 0; i < n; ++i)
      j += (i ? "," : "") + json_number(s.values[skip_values + i]);
    j += "]}";
  }
  j += "],\"markers\":[";
  first = true;
  const std::int64_t window_first = p.candles.empty() ? 0 : p.candles.front().close_time;
  const std::int64_t window_last = p.candles.empty() ? -1 : p.candles.back().close_time;
  for (const auto& s : p.signals) {
    if (s.close_time < window_first || s.close_time > window_last)
      continue;  // drawn only inside the candles
    if (!first) j += ',';
    first = false;
    j += "{\"t\":" + std::to_string(s.close_time) + ",\"price\":" + json_number(s.price) +
         ",\"label\":\"" + json_escape(iso8601_utc(s.close_time)) + "\"}";
  }
  return j + "]}";
}

constexpr const char* page_script = R"js(
window.onerror = function (message) { document.body.setAttribute('data-error', String(message)); };
(function () {
  var data = JSON.parse(document.getElementById('vyx-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  var colors = ['#1f77b4', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  var totalMarkers = 0;
  data.panels.forEach(function (p, index) {
    var section = document.createElement('section');
    var h = document.createElement('h2');
    h.textContent = p.trader + ' \u2014 ' + p.symbol + ' ' + p.timeframe + ' (' + p.markers.length + ' signals shown)';
    section.appendChild(h);
    document.getElementById('charts').appendChild(section);
    var n = p.t.length;
    if (n === 0) { section.appendChild(document.createTextNode('no candles')); return; }
    var W = 1100, H = 360, PH = 120, M = 50;
    var lower = p.series.filter(function (s) { return s.panel; });
    var svg = el('svg', { width: W, height: H + (lower.length ? PH + 20 : 0), 'class': 'chart',
                          'data-symbol': p.symbol }, section);
    var t0 = p.t[0], t1 = p.t[n - 1], step = n > 1 ? (t1 - t0) / (n - 1) : 60000;
    function x(t) { return M + (n > 1 ? (t - t0) / (t1 - t0) : 0.5) * (W - 2 * M); }
    var lo = Math.min.apply(null, p.l), hi = Math.max.apply(null, p.h);
    p.series.forEach(function (s) {
      if (s.panel) return;
      s.v.forEach(function (v, i) { if (v !== null && s.t[i] >= t0) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
    });
    if (hi === lo) { hi += 1; lo -= 1; }
    function y(v) { return 10 + (hi - v) / (hi - lo) * (H - 30); }
    var bw = Math.max(1, (W - 2 * M) / n * 0.7);
    el('text', { x: 4, y: 14, 'font-size': 11 }, svg).textContent = hi.toPrecision(6);
    el('text', { x: 4, y: H - 20, 'font-size': 11 }, svg).textContent = lo.toPrecision(6);
    for (var i = 0; i < n; i++) {
      var up = p.c[i] >= p.o[i], color = up ? '#26a69a' : '#ef5350', cx = x(p.t[i]);
      el('line', { x1: cx, x2: cx, y1: y(p.h[i]), y2: y(p.l[i]), stroke: color }, svg);
      var top = y(Math.max(p.o[i], p.c[i])), height = Math.max(1, Math.abs(y(p.o[i]) - y(p.c[i])));
      el('rect', { x: cx - bw / 2, y: top, width: bw, height: height, fill: color, 'class': 'candle' }, svg);
    }
    function path(s, yf) {
      var d = '', pen = false;
      s.v.forEach(function (v, i) {
        if (v === null || s.t[i] < t0 - step) { pen = false; return; }
        d += (pen ? 'L' : 'M') + x(s.t[i]).toFixed(1) + ' ' + yf(v).toFixed(1);
        pen = true;
      });
      return d;
    }
    var legend = document.createElement('div');
    section.appendChild(legend);
    p.series.forEach(function (s, k) {
      var color = colors[k % colors.length];
      var span = document.createElement('span');
      span.textContent = '\u25a0 ' + s.name + (s.panel ? ' (panel)' : '');
      span.style.color = color;
      span.style.marginRight = '1em';
      legend.appendChild(span);
      if (s.panel) return;
      el('path', { d: path(s, y), fill: 'none', stroke: color, 'stroke-width': 1.5, 'class': 'series' }, svg);
    });
    if (lower.length) {
      var plo = Infinity, phi = -Infinity;
      lower.forEach(function (s) { s.v.forEach(function (v) { if (v !== null) { plo = Math.min(plo, v); phi = Math.max(phi, v); } }); });
      if (!isFinite(plo)) { plo = 0; phi = 1; }
      if (phi === plo) { phi += 1; plo -= 1; }
      var base = H + 10;
      function py(v) { return base + (phi - v) / (phi - plo) * PH; }
      el('rect', { x: M, y: base, width: W - 2 * M, height: PH, fill: 'none', stroke: '#ccc' }, svg);
      lower.forEach(function (s) {
        var color = colors[p.series.indexOf(s) % colors.length];
        if (s.kind === 'bar') {
          var zero = py(Math.min(Math.max(0, plo), phi));
          s.v.forEach(function (v, i) {
            if (v === null || s.t[i] < t0) return;
            el('rect', { x: x(s.t[i]) - bw / 2, y: Math.min(py(v), zero), width: bw,
                         height: Math.max(1, Math.abs(py(v) - zero)), fill: color, 'class': 'series' }, svg);
          });
        } else {
          el('path', { d: path(s, py), fill: 'none', stroke: color, 'stroke-width': 1.5, 'class': 'series' }, svg);
        }
      });
    }
    // A signal belongs to the candle that closed at its time.
    p.markers.forEach(function (m) {
      var mx = x(m.t + 1 - p.interval), my = y(m.price) + 16;
      var marker = el('path', { d: 'M' + mx + ' ' + (my - 8) + ' l -6 10 l 12 0 z', fill: '#0a0',
                                stroke: '#050', 'class': 'marker' }, svg);
      el('title', {}, marker).textContent = 'signal ' + m.label + ' @ ' + m.price;
      totalMarkers++;
    });
  });
  document.body.setAttribute('data-markers', String(totalMarkers));
  document.body.setAttribute('data-rendered', 'ok');
})();
)js";

}  // namespace

std::size_t markers_in_window(const chart_panel& panel) {
  if (panel.candles.empty()) return 0;
  const std::int64_t first = panel.candles.front().close_time,
                     last = panel.candles.back().close_time;
  std::size_t n = 0;
  for (const auto& s : panel.signals) n += s.close_time >= first && s.close_time <= last;
  return n;
}

std::string render_chart_html(const std::string& title, const std::vector<chart_panel>& panels) {
  std::string data = "{\"panels\":[";
  for (std::size_t i = 0; i < panels.size(); ++i) {
    if (i) data += ',';
    data += panel_json(panels[i]);
  }
  data += "]}";
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" +
      html_escape(title) +
      "</title>\n<style>body{font-family:sans-serif;margin:1em;color:#222}"
      "h2{font-size:15px;margin:1.2em 0 .3em}svg.chart{background:#fcfcfc;border:1px solid #ddd}"
      "</style></head>\n<body>\n<h1>" +
      html_escape(title) +
      "</h1>\n<div id=\"charts\"></div>\n"
      "<script type=\"application/json\" id=\"vyx-data\">" +
      script_safe(data) +
      "</script>\n"
      "<script>" +
      page_script + "</script>\n</body></html>\n";
  return page;
}

}  // namespace vyx::runtime
