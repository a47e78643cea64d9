// Renders the backtest report: the report's data as JSON, poured with the
// embedded chart library, script and style into the page template's slots.
#include "vyx/runtime/backtest/html_report.hpp"

#include <stdexcept>

#include "report_assets.hpp"
#include "vyx/common/json_writer.hpp"
#include "vyx/runtime/backtest/signal_quality_json.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {
namespace {

using common::json_writer;

std::string html_escape(std::string_view text) {
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

// Inside <script>, "</script" or "<!--" would end or confuse the element. In
// JSON a '<' can only sit inside a string, where \u003c means the same.
std::string script_safe(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

void write_candles(json_writer& out, std::span<const candle> bars) {
  out.begin_object().key("t").begin_array();
  for (const auto& c : bars) out.value(c.open_time);
  out.end_array().key("o").begin_array();
  for (const auto& c : bars) out.value(c.open);
  out.end_array().key("h").begin_array();
  for (const auto& c : bars) out.value(c.high);
  out.end_array().key("l").begin_array();
  for (const auto& c : bars) out.value(c.low);
  out.end_array().key("c").begin_array();
  for (const auto& c : bars) out.value(c.close);
  out.end_array().end_object();
}

void write_series(json_writer& out, const report_series& s) {
  out.begin_object().key("name").value(s.name).key("kind").value(s.kind).key("panel").value(
      s.panel);
  out.key("points").begin_array();
  for (const auto& [time, value] : s.points) out.begin_array().value(time).value(value).end_array();
  out.end_array().end_object();
}

void write_marker(json_writer& out, const report_marker& m) {
  out.begin_object()
      .key("candle")
      .value(m.candle_open_time)
      .key("close_time")
      .value(m.signal->close_time)
      .key("price")
      .value(m.signal->price)
      .key("values")
      .begin_array();
  for (const auto& v : m.signal->values) out.begin_array().value(v.name).value(v.value).end_array();
  out.end_array().end_object();
}

void write_chart(json_writer& out, const report_chart& chart) {
  out.begin_object()
      .key("symbol")
      .value(chart.symbol)
      .key("timeframe")
      .value(timeframe_name(chart.timeframe))
      .key("signals")
      .value(static_cast<std::uint64_t>(chart.signals))
      .key("candles")
      .value(chart.candles)
      .key("series")
      .begin_array();
  for (const auto& s : chart.series) write_series(out, s);
  out.end_array().key("markers").begin_array();
  for (const auto& m : chart.markers) write_marker(out, m);
  out.end_array().end_object();
}

// The template's {{name}} slots, each filled once in a single pass (a slot's
// content is never scanned for further slots).
std::string fill_slots(std::string_view page,
                       const std::vector<std::pair<std::string_view, std::string_view>>& slots) {
  std::string out;
  std::size_t at = 0;
  for (std::size_t open; (open = page.find("{{", at)) != std::string_view::npos;) {
    const std::size_t close = page.find("}}", open);
    if (close == std::string_view::npos) break;
    const std::string_view name = page.substr(open + 2, close - open - 2);
    out.append(page.substr(at, open - at));
    bool filled = false;
    for (const auto& [slot, content] : slots)
      if (slot == name) {
        out.append(content);
        filled = true;
      }
    if (!filled)
      throw std::logic_error("report template: unknown slot {{" + std::string(name) + "}}");
    at = close + 2;
  }
  out.append(page.substr(at));
  return out;
}

}  // namespace

std::string report_data_json(const backtest_report& report) {
  json_writer out;
  out.begin_object().key("title").value(report.title);
  out.key("symbol_count").value(static_cast<std::uint64_t>(report.symbol_count));
  out.key("horizons").begin_array();
  for (std::size_t h : forward_horizons) out.value(static_cast<std::uint64_t>(h));
  out.end_array().key("candles").begin_object();
  for (const auto& [key, bars] : report.candles) {
    out.key(key);
    write_candles(out, bars);
  }
  out.end_object().key("traders").begin_array();
  for (const auto& t : report.traders) {
    out.begin_object()
        .key("id")
        .value(t.id)
        .key("timeframe")
        .value(timeframe_name(t.quality.timeframe))
        .key("quality");
    write_json(out, t.quality);
    out.key("charts").begin_array();
    for (const auto& chart : t.charts) write_chart(out, chart);
    out.end_array().end_object();
  }
  out.end_array().end_object();
  return script_safe(out.str());
}

std::string render_report_html(const backtest_report& report) {
  const std::string title = html_escape(report.title);
  const std::string data = report_data_json(report);
  return fill_slots(report_assets::page_template(),
                    {{"title", title},
                     {"style", report_assets::page_style()},
                     {"data", data},
                     {"chart_library", report_assets::chart_library()},
                     {"script", report_assets::page_script()}});
}

}  // namespace vyx::runtime
