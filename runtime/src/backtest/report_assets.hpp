// The report's web files (runtime/report/), compiled into the runtime by
// cmake/VyxEmbedText.cmake so the `vyx` binary needs nothing beside it.
#pragma once

#include <string_view>

namespace vyx::runtime::report_assets {

std::string_view page_template();  // report.html, with {{title}}, {{style}}, {{data}}, ... slots
std::string_view page_style();     // report.css
std::string_view page_script();    // report.js
std::string_view chart_library();  // lightweight-charts' standalone production build

}  // namespace vyx::runtime::report_assets
