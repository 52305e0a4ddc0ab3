#pragma once
// Standalone SVG charts written from C++ (a waterfall of one pair's match weight, a threshold
// chart), for files a user opens directly. Hand-written: a handful of elements, and no Debian
// C++ library draws charts (the HTML report draws its own in JavaScript).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace recount {

[[nodiscard]] std::string svg_open(double width, double height);
[[nodiscard]] std::string svg_text(double x, double y, std::string_view text,
                                   std::string_view anchor, bool bold);
[[nodiscard]] std::string svg_rect(double x, double y, double width, double height,
                                   std::string_view fill);
[[nodiscard]] std::string svg_line(double x1, double y1, double x2, double y2,
                                   std::string_view stroke, bool dashed);
[[nodiscard]] std::string svg_polyline(const std::vector<std::pair<double, double>>& points,
                                       std::string_view stroke);

}  // namespace recount
