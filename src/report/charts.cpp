#include "charts.hpp"

#include <algorithm>
#include <bit>

#include "recount/core/json_fields.hpp"

using nlohmann::json;

namespace recount::report::detail {

namespace {

const char* const kBand = "#4a78a8";
const char* const kLine = "#1d3b5c";

json status_scale() {
  return {{"domain", {"consistent", "in conflict", "not tested"}},
          {"range", {"#1b1b1b", "#c0392b", "#8a8a8a"}}};
}

json base(const std::string& title) {
  json spec = {
      {"width", "container"},
      {"height", 200},
      {"background", "transparent"},
      {"config",
       {{"font", "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
        {"axis",
         {{"labelFontSize", 11}, {"titleFontSize", 11}, {"grid", true}, {"gridColor", "#eee"}}},
        {"view", {{"stroke", nullptr}}},
        {"legend", {{"orient", "bottom"}, {"labelFontSize", 11}, {"titleFontSize", 11}}}}}};
  if (!title.empty())
    spec["title"] = {{"text", title}, {"anchor", "start"}, {"fontSize", 13}, {"fontWeight", 600}};
  return spec;
}

json time_x() {
  return {{"field", "date"},
          {"type", "temporal"},
          {"title", nullptr},
          {"axis",
           {{"format", "%b %Y"},
            {"tickCount", {{"interval", "month"}, {"step", 6}}},
            {"labelOverlap", true}}}};
}

json count_y(const std::string& field, const std::string& title) {
  return {
      {"field", field}, {"type", "quantitative"}, {"title", title}, {"axis", {{"format", "~s"}}}};
}

}  // namespace

json series_chart(const std::string& title, const synthesis::Series& series,
                  const std::vector<ClaimMark>& claims) {
  json spec = base(title);
  json layers = json::array();
  json data = {{"values", synthesis::to_json(series)}};
  layers.push_back(
      {{"data", data},
       {"mark", {{"type", "area"}, {"color", kBand}, {"opacity", 0.18}}},
       {"encoding",
        {{"x", time_x()}, {"y", count_y("q05", "people")}, {"y2", {{"field", "q95"}}}}}});
  layers.push_back(
      {{"data", data},
       {"mark", {{"type", "area"}, {"color", kBand}, {"opacity", 0.35}}},
       {"encoding",
        {{"x", time_x()}, {"y", count_y("q25", "people")}, {"y2", {{"field", "q75"}}}}}});
  layers.push_back(
      {{"data", data},
       {"mark", {{"type", "line"}, {"color", kLine}, {"strokeWidth", 1.6}}},
       {"encoding",
        {{"x", time_x()},
         {"y", count_y("median", "people")},
         {"tooltip",
          {{{"field", "date"}, {"type", "temporal"}, {"title", "week ending"}},
           {{"field", "median"}, {"type", "quantitative"}, {"format", ",.0f"}},
           {{"field", "q05"}, {"type", "quantitative"}, {"format", ",.0f"}, {"title", "5%"}},
           {{"field", "q95"}, {"type", "quantitative"}, {"format", ",.0f"}, {"title", "95%"}}}}}}});
  if (!claims.empty()) {
    json values = json::array();
    for (const auto& c : claims) {
      json v = {{"id", c.id}, {"date", c.date},     {"glyph", c.glyph},
                {"y", c.y},   {"status", c.status}, {"label", c.label}};
      v["low"] = c.low ? json(*c.low) : json(nullptr);
      v["high"] = c.high ? json(*c.high) : json(nullptr);
      values.push_back(v);
    }
    json claim_data = {{"values", values}};
    json color = {
        {"field", "status"}, {"type", "nominal"}, {"title", "claim"}, {"scale", status_scale()}};
    layers.push_back({{"data", claim_data},
                      {"transform", {{{"filter", "datum.glyph === 'range'"}}}},
                      {"mark", {{"type", "rule"}, {"strokeWidth", 2}}},
                      {"encoding",
                       {{"x", time_x()},
                        {"y", count_y("low", "people")},
                        {"y2", {{"field", "high"}}},
                        {"color", color}}}});
    layers.push_back(
        {{"data", claim_data},
         {"mark", {{"type", "point"}, {"filled", true}, {"size", 60}, {"opacity", 0.9}}},
         {"encoding",
          {{"x", time_x()},
           {"y", count_y("y", "people")},
           {"color", color},
           {"shape",
            {{"field", "glyph"},
             {"type", "nominal"},
             {"legend", nullptr},
             {"scale",
              {{"domain", {"stated", "range", "at least", "at most"}},
               {"range", {"circle", "square", "triangle-up", "triangle-down"}}}}}},
           {"tooltip",
            {{{"field", "id"}, {"title", "claim"}},
             {{"field", "label"}, {"title", "states"}},
             {{"field", "date"}, {"type", "temporal"}, {"title", "as of"}},
             {{"field", "status"}}}}}}});
  }
  spec["layer"] = layers;
  return spec;
}

json split_chart(const std::string& title,
                 const std::vector<std::pair<std::string, const synthesis::Series*>>& series) {
  json spec = base(title);
  json values = json::array();
  for (const auto& [population, rows] : series)
    for (json r : synthesis::to_json(*rows)) {
      r["population"] = population;
      values.push_back(r);
    }
  json color = {{"field", "population"},
                {"type", "nominal"},
                {"title", nullptr},
                {"scale", {{"range", {"#b5651d", "#4a78a8", "#5b8c5a", "#8e6aa8"}}}}};
  spec["data"] = {{"values", values}};
  spec["layer"] = {
      {{"mark", {{"type", "area"}, {"opacity", 0.2}}},
       {"encoding",
        {{"x", time_x()},
         {"y", count_y("q05", "people")},
         {"y2", {{"field", "q95"}}},
         {"color", color}}}},
      {{"mark", {{"type", "line"}, {"strokeWidth", 1.6}}},
       {"encoding", {{"x", time_x()}, {"y", count_y("median", "people")}, {"color", color}}}}};
  return spec;
}

json headline_chart(const json& rows) {
  json spec = base("");
  spec["height"] = {{"step", 26}};
  spec["data"] = {{"values", rows}};
  json y = {{"field", "quantity"}, {"type", "nominal"}, {"title", nullptr}, {"sort", nullptr}};
  json x = {{"field", "low"},
            {"type", "quantitative"},
            {"title", "people (log scale)"},
            {"scale", {{"type", "log"}}},
            {"axis", {{"format", "~s"}}}};
  json color = {
      {"field", "what"},
      {"type", "nominal"},
      {"title", nullptr},
      {"scale", {{"domain", {"prior alone", "with the evidence"}}, {"range", {"#b8b8b8", kLine}}}}};
  spec["layer"] = {
      {{"mark", {{"type", "rule"}, {"strokeWidth", 7}, {"strokeCap", "round"}}},
       {"encoding",
        {{"y", y},
         {"yOffset", {{"field", "what"}, {"sort", {"prior alone", "with the evidence"}}}},
         {"x", x},
         {"x2", {{"field", "high"}}},
         {"color", color},
         {"tooltip",
          {{{"field", "what"}},
           {{"field", "low"}, {"format", ",.0f"}},
           {{"field", "high"}, {"format", ",.0f"}}}}}}},
      {{"transform", {{{"filter", "datum.median != null"}}}},
       {"mark", {{"type", "tick"}, {"color", "white"}, {"thickness", 2}, {"size", 10}}},
       {"encoding",
        {{"y", y},
         {"yOffset", {{"field", "what"}, {"sort", {"prior alone", "with the evidence"}}}},
         {"x", {{"field", "median"}, {"type", "quantitative"}}}}}}};
  return spec;
}

json upset_chart(const mse::CaptureTable& table) {
  struct Cell {
    mse::Pattern pattern;
    double count;
  };
  std::vector<Cell> cells;
  for (std::size_t p = 1; p < table.counts.size(); ++p)
    if (table.counts[p] > 0) cells.push_back({static_cast<mse::Pattern>(p), table.counts[p]});
  std::stable_sort(cells.begin(), cells.end(),
                   [](const Cell& a, const Cell& b) { return a.count > b.count; });
  if (cells.size() > 30) cells.resize(30);

  json bars = json::array();
  json dots = json::array();
  json order = json::array();
  for (const auto& c : cells) {
    std::string label;
    for (std::size_t l = 0; l < table.lists.size(); ++l)
      if (c.pattern & (1u << l)) {
        if (!label.empty()) label += " & ";
        label += table.lists[l];
      }
    if (std::popcount(c.pattern) == 1) label += " only";
    order.push_back(label);
    bars.push_back({{"pattern", label}, {"count", c.count}});
    for (std::size_t l = 0; l < table.lists.size(); ++l)
      dots.push_back(
          {{"pattern", label}, {"list", table.lists[l]}, {"on", (c.pattern & (1u << l)) != 0}});
  }
  json x = {{"field", "pattern"}, {"type", "nominal"}, {"sort", order}, {"axis", nullptr}};
  json spec = base("");
  spec.erase("height");
  spec["spacing"] = 4;
  spec["vconcat"] = {
      {{"width", "container"},
       {"height", 160},
       {"data", {{"values", bars}}},
       {"mark", {{"type", "bar"}, {"color", kLine}}},
       {"encoding",
        {{"x", x},
         {"y", {{"field", "count"}, {"type", "quantitative"}, {"title", "people"}}},
         {"tooltip",
          {{{"field", "pattern"}, {"title", "on"}}, {{"field", "count"}, {"format", ",.0f"}}}}}}},
      {{"width", "container"},
       {"data", {{"values", dots}}},
       {"mark", {{"type", "circle"}, {"size", 90}}},
       {"encoding",
        {{"x", x},
         {"y", {{"field", "list"}, {"type", "nominal"}, {"title", nullptr}, {"sort", table.lists}}},
         {"color",
          {{"field", "on"},
           {"type", "nominal"},
           {"legend", nullptr},
           {"scale", {{"domain", {false, true}}, {"range", {"#e3e3e3", kLine}}}}}}}}}};
  spec["resolve"] = {{"scale", {{"x", "shared"}}}};
  return spec;
}

json mse_chart(const std::vector<EstimateBar>& bars) {
  json values = json::array();
  std::optional<double> observed;
  for (const auto& bar : bars) {
    observed = bar.observed;
    if (!bar.estimate) continue;
    values.push_back({{"method", bar.method},
                      {"estimate", *bar.estimate},
                      {"lower", optional_number(bar.lower)},
                      {"upper", optional_number(bar.upper)},
                      {"model", bar.model}});
  }
  json spec = base("");
  spec["height"] = {{"step", 30}};
  json y = {{"field", "method"}, {"type", "nominal"}, {"title", nullptr}};
  json x = {{"field", "estimate"},
            {"type", "quantitative"},
            {"title", "people"},
            {"scale", {{"zero", false}}},
            {"axis", {{"format", "~s"}}}};
  json layers = json::array();
  json interval_encoding = {{"y", y},
                            {"x", {{"field", "lower"}, {"type", "quantitative"}}},
                            {"x2", {{"field", "upper"}}}};
  json tooltip = json::array({{{"field", "method"}},
                              {{"field", "model"}},
                              {{"field", "estimate"}, {"format", ",.0f"}},
                              {{"field", "lower"}, {"format", ",.0f"}},
                              {{"field", "upper"}, {"format", ",.0f"}}});
  json interval_layer = {
      {"data", {{"values", values}}},
      {"transform", json::array({{{"filter", "datum.lower != null && datum.upper != null"}}})},
      {"mark", {{"type", "rule"}, {"strokeWidth", 3}, {"color", kBand}}},
      {"encoding", interval_encoding}};
  json point_layer = {
      {"data", {{"values", values}}},
      {"mark", {{"type", "point"}, {"filled", true}, {"size", 80}, {"color", kLine}}},
      {"encoding", {{"y", y}, {"x", x}, {"tooltip", tooltip}}}};
  layers.push_back(interval_layer);
  layers.push_back(point_layer);
  if (observed) {
    json row = {{"observed", *observed}, {"label", "observed"}};
    json observed_layer = {
        {"data", {{"values", json::array({row})}}},
        {"mark", {{"type", "rule"}, {"strokeDash", {4, 3}}, {"color", "#888"}}},
        {"encoding", {{"x", {{"field", "observed"}, {"type", "quantitative"}}}}}};
    layers.push_back(observed_layer);
  }
  spec["layer"] = layers;
  return spec;
}

json bar_chart(const std::string& title, const json& rows, const std::string& value_title) {
  json spec = base(title);
  spec["height"] = {{"step", 20}};
  spec["data"] = {{"values", rows}};
  spec["mark"] = {{"type", "bar"}, {"color", kBand}};
  spec["encoding"] = {
      {"y", {{"field", "label"}, {"type", "nominal"}, {"title", nullptr}, {"sort", nullptr}}},
      {"x", {{"field", "value"}, {"type", "quantitative"}, {"title", value_title}}},
      {"tooltip", {{{"field", "label"}}, {{"field", "value"}, {"format", ".2f"}}}}};
  return spec;
}

json threshold_chart(const json& sweep) {
  json spec = base("");
  spec["data"] = {{"values", sweep}};
  // The thresholds crowd near 1 (0.9, 0.99, 0.999): evenly spaced as categories. The estimate
  // can grow by orders of magnitude at strict thresholds (lists stop overlapping): a log axis.
  const json x = {{"field", "threshold"},
                  {"type", "ordinal"},
                  {"title", "match threshold (posterior probability)"},
                  {"axis", {{"labelAngle", 0}}}};
  const auto y = [](const std::string& field) {
    return json{{"field", field},
                {"type", "quantitative"},
                {"title", "people"},
                {"scale", {{"type", "log"}}},
                {"axis", {{"format", "~s"}}}};
  };
  spec["layer"] = {
      {{"transform", {{{"filter", "datum.lower != null && datum.upper != null"}}}},
       {"mark", {{"type", "rule"}, {"color", kBand}, {"strokeWidth", 6}, {"opacity", 0.6}}},
       {"encoding", {{"x", x}, {"y", y("lower")}, {"y2", {{"field", "upper"}}}}}},
      {{"transform", {{{"filter", "datum.estimate != null"}}}},
       {"mark", {{"type", "line"}, {"color", kLine}, {"point", true}}},
       {"encoding",
        {{"x", x},
         {"y", y("estimate")},
         {"tooltip",
          {{{"field", "threshold"}},
           {{"field", "estimate"}, {"format", ",.0f"}},
           {{"field", "lower"}, {"format", ",.0f"}},
           {{"field", "upper"}, {"format", ",.0f"}},
           {{"field", "observed"}, {"format", ",.0f"}},
           {{"field", "model"}}}}}}},
      {{"mark", {{"type", "line"}, {"color", "#888"}, {"strokeDash", {4, 3}}}},
       {"encoding", {{"x", x}, {"y", y("observed")}}}}};
  return spec;
}

}  // namespace recount::report::detail
