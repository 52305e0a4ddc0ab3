// `recount extract FILE...`: the claims of reports (plain text or HTML), as a table or JSON Lines.

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "recount/core/error.hpp"
#include "recount/core/table.hpp"
#include "recount/core/text.hpp"
#include "recount/evidence/document.hpp"
#include "recount/evidence/extract.hpp"
#include "recount/study/study.hpp"

namespace recount::cli {
namespace {

std::string bound_text(const std::optional<double>& v) {
  return v ? format_number(*v) : "-";
}

std::string hedges_text(const Claim& c) {
  std::string out;
  for (const Hedge h : c.hedges) {
    if (!out.empty()) out += ",";
    out += to_string(h);
  }
  return out;
}

void print_table(const Document& doc, const std::vector<Claim>& claims) {
  std::string head = doc.origin;
  if (doc.date) head += fmt::format(" (dated {})", doc.date->iso());
  if (claims.empty()) {
    std::cout << fmt::format("{}: no claims found\n", head);
    return;
  }
  std::cout << fmt::format("{}: {} claim{}\n", head, claims.size(), claims.size() == 1 ? "" : "s");
  TextTable table(
      {"id", "measure", "population", "kind", "low", "high", "rate", "source", "hedges"});
  for (const Claim& c : claims) {
    std::string source = c.source;
    if (!c.source_org.empty()) {
      source += source.empty() ? "" : ", ";
      source += c.source_org;
    }
    table.add_row({c.id, std::string(to_string(c.measure)),
                   c.population.empty() ? "-" : c.population, std::string(to_string(c.kind)),
                   bound_text(c.low), bound_text(c.high),
                   c.rate == Rate::none ? "-" : std::string(to_string(c.rate)),
                   source.empty() ? "-" : source, hedges_text(c)});
  }
  std::cout << table.str() << '\n';
}

}  // namespace

void add_extract_commands(CLI::App& app, Context& ctx) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand(
      "extract",
      "Print the claims (attributed, hedged, dated figures about people) of English and Russian "
      "reports in plain text or HTML; '-' reads standard input");
  cmd->add_option("files", *files, "Reports to read (text or HTML); - for standard input")
      ->required();
  auto study = std::make_shared<std::string>();
  cmd->add_option("--study", *study,
                  "A study folder whose [vocabulary] decides the claims' populations (its terms) "
                  "and measures");
  cmd->callback([files, study, &ctx] {
    const Vocabulary vocabulary =
        study->empty() ? Vocabulary{} : study::load_study(*study).vocabulary;
    bool failed = false;
    for (const std::string& file : *files) {
      try {
        const Document doc = load_document(file);
        const std::vector<Claim> claims = extract_claims(doc, vocabulary);
        if (ctx.json) {
          for (const Claim& c : claims)
            print_json_line(to_json(c));
        } else {
          print_table(doc, claims);
        }
        std::cout.flush();
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::bad_input) throw;
        std::cout.flush();
        std::fputs(fmt::format("recount: error: {}\n", e.what()).c_str(), stderr);
        failed = true;
      }
    }
    if (failed) ctx.status = exit_code(ErrorKind::bad_input);
  });
}

}  // namespace recount::cli
