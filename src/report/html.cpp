#include "html.hpp"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

#include "recount/core/text.hpp"

namespace recount::report::detail {

std::string escape(std::string_view text) {
  return markup_escape(text);
}

std::string html_id(std::string_view prefix, std::string_view text) {
  std::string out(prefix);
  out += '-';
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_')
      out += static_cast<char>(c);
    else
      out += fmt::format("_{:02x}", c);
  }
  return out;
}

std::string number(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return "—";
  const double v = *value;
  if (v != 0 && std::fabs(v) < 10 && std::fabs(v - std::round(v)) > 1e-9)
    return format_number(v, std::fabs(v) < 0.1 ? 3 : 2);
  return format_number(v);
}

std::string interval(std::optional<double> low, std::optional<double> high) {
  if (!low && !high) return "—";
  std::string out = low ? number(low) : std::string("…");
  out += "–";
  out += high ? number(high) : std::string("…");
  return out;
}

std::string stated(const Claim& claim) {
  std::string_view prefix;
  std::string value;
  switch (claim.kind) {
    case ClaimKind::point:
      value = number(claim.low ? claim.low : claim.high);
      break;
    case ClaimKind::approximate:
      prefix = "~";
      value = number(claim.low ? claim.low : claim.high);
      break;
    case ClaimKind::range:
      value = interval(claim.low, claim.high);
      break;
    case ClaimKind::at_least:
      prefix = "≥ ";
      value = number(claim.low);
      break;
    case ClaimKind::at_most:
      prefix = "≤ ";
      value = number(claim.high);
      break;
    case ClaimKind::magnitude:
      prefix = "order of ";
      value = number(claim.low);
      if (claim.high) {
        value += " (";
        value += interval(claim.low, claim.high);
        value += ")";
      }
      break;
  }
  std::string out(prefix);
  out += value;
  if (claim.rate != Rate::none) {
    out += " per ";
    out += to_string(claim.rate);
  }
  return out;
}

std::string cell(const nlohmann::json& value) {
  if (value.is_null()) return "—";
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  if (value.is_number_integer()) return format_number(value.get<double>());
  if (value.is_number()) {
    const double v = value.get<double>();
    if (std::fabs(v) >= 100) return format_number(v);
    if (v == 0) return "0";
    if (std::fabs(v) >= 0.01) return format_number(v, std::fabs(v) >= 10 ? 1 : 3);
    return escape(fmt::format("{:.2g}", v));
  }
  if (value.is_string()) return escape(value.get<std::string>());
  if (value.is_array()) {
    std::string out;
    for (const auto& v : value) {
      if (!out.empty()) out += ", ";
      out += cell(v);
    }
    return out.empty() ? "—" : out;
  }
  return escape(value.dump());
}

std::string script_json(const nlohmann::json& value) {
  const std::string text = value.dump();
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<')
      out += "\\u003c";
    else
      out += text[i];
  }
  return out;
}

}  // namespace recount::report::detail
