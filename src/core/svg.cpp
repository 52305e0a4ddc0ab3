#include "recount/core/svg.hpp"

#include <fmt/format.h>

#include "recount/core/text.hpp"

namespace recount {

std::string svg_open(double width, double height) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
      "viewBox=\"0 0 {0:.0f} {1:.0f}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
      width, height);
}

std::string svg_text(double x, double y, std::string_view text, std::string_view anchor,
                     bool bold) {
  return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\"{}>{}</text>\n", x, y,
                     anchor, bold ? " font-weight=\"bold\"" : "", markup_escape(text));
}

std::string svg_rect(double x, double y, double width, double height, std::string_view fill) {
  return fmt::format(
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>\n", x, y,
      width, height, fill);
}

std::string svg_line(double x1, double y1, double x2, double y2, std::string_view stroke,
                     bool dashed) {
  return fmt::format(
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"{}/>\n", x1, y1,
      x2, y2, stroke, dashed ? " stroke-dasharray=\"4 3\"" : "");
}

std::string svg_polyline(const std::vector<std::pair<double, double>>& points,
                         std::string_view stroke) {
  std::string p;
  for (const auto& [x, y] : points)
    p += fmt::format("{:.1f},{:.1f} ", x, y);
  return fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                     p, stroke);
}

}  // namespace recount
