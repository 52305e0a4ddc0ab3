// recount add, recount claims [accept|reject|edit|import|export]: the evidence ledger.
// Each command opens the ledger once and does its work in one transaction.

#include <iostream>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "command.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/table.hpp"
#include "recount/core/text.hpp"
#include "recount/evidence/claims_csv.hpp"
#include "recount/evidence/document.hpp"
#include "recount/evidence/extract.hpp"
#include "recount/evidence/ledger.hpp"

namespace recount::cli {

namespace {

const std::vector<std::string> kStatuses{"proposed", "accepted", "rejected", "edited"};

std::vector<ReviewStatus> status_filter(const std::vector<std::string>& names) {
  std::vector<ReviewStatus> out;
  for (const auto& s : names)
    out.push_back(*parse_review_status(s));  // CLI11 checked it is one of kStatuses
  return out;
}

std::string number(const std::optional<double>& v) {
  return v ? format_number(*v) : "";
}

// Runs a writing command on the ledger, creating it when missing; if the command fails, a
// ledger it created is removed again, so a failed command leaves no trace.
template <typename F>
void write_ledger(const Context& ctx, F&& command) {
  std::error_code ec;
  const bool existed = std::filesystem::exists(ctx.db, ec);
  try {
    Ledger ledger = Ledger::open(ctx.db, Ledger::Mode::create);
    command(ledger);
  } catch (...) {
    if (!existed) {
      std::filesystem::remove(ctx.db, ec);
      std::filesystem::remove(ctx.db + "-journal", ec);
    }
    throw;
  }
}

void run_add(const std::vector<std::string>& files, Context& ctx) {
  nlohmann::json results = nlohmann::json::array();
  std::size_t total = 0;
  write_ledger(ctx, [&](Ledger& ledger) {
    Progress progress("reading reports", files.size());
    ledger.in_one_transaction([&] {
      for (std::size_t i = 0; i < files.size(); ++i) {
        const Document doc = load_document(files[i]);
        nlohmann::json result{{"file", files[i]}, {"document_id", doc.id}};
        if (const auto origin = ledger.document_origin(doc.id)) {
          result["added"] = false;
          result["claims"] = 0;
          result["stored_as"] = *origin;
        } else {
          const std::size_t n = ledger.add_document(doc, extract_claims(doc));
          total += n;
          result["added"] = true;
          result["claims"] = n;
        }
        results.push_back(std::move(result));
        progress.update(i + 1);
      }
    });
    progress.finish();
  });
  // Printed only once the transaction is committed: a failed command reports nothing as done.
  if (ctx.json) {
    print_json(results);
    return;
  }
  for (const auto& r : results) {
    const auto file = r["file"].get<std::string>();
    if (r["added"].get<bool>())
      std::cout << fmt::format("{}: {} claims proposed\n", file, r["claims"].get<std::size_t>());
    else
      std::cout << fmt::format("{}: already in the ledger (added as {}); nothing added\n", file,
                               r["stored_as"].get<std::string>());
  }
  std::cout << fmt::format("{} new claims in {}; review them with `recount claims`\n", total,
                           ctx.db);
}

void run_list(const std::vector<std::string>& status, bool csv, Context& ctx) {
  if (csv && ctx.json) throw usage_error("give --json or --csv, not both");
  const Ledger ledger = Ledger::open(ctx.db, Ledger::Mode::existing);
  if (csv) {
    std::cout << ledger.export_csv(status_filter(status));
    return;
  }
  const auto claims = ledger.claims(status_filter(status));
  if (ctx.json) {
    for (const auto& c : claims)
      print_json_line(to_json(c));
    return;
  }
  if (claims.empty()) {
    std::cout << "No claims in the ledger" << (status.empty() ? "" : " with that status") << ".\n";
    return;
  }
  TextTable table(
      {"id", "status", "measure", "population", "kind", "low", "high", "rate", "source", "as of"});
  for (const auto& lc : claims) {
    const Claim& c = lc.claim;
    table.add_row({c.id, std::string(to_string(c.status)), std::string(to_string(c.measure)),
                   c.population, std::string(to_string(c.kind)), number(c.low), number(c.high),
                   std::string(to_string(c.rate)), c.source.empty() ? c.source_org : c.source,
                   c.as_of ? c.as_of->iso() : ""});
  }
  std::cout << table.str();
}

void run_review(const std::vector<std::string>& ids, const std::string& review_note,
                ReviewStatus status, Context& ctx) {
  Ledger ledger = Ledger::open(ctx.db, Ledger::Mode::existing);
  if (status == ReviewStatus::accepted)
    ledger.accept(ids, review_note);
  else
    ledger.reject(ids, review_note);
  if (ctx.json)
    print_json({{std::string(to_string(status)), ids}});
  else
    std::cout << fmt::format("{} {} claim{}\n", to_string(status), ids.size(),
                             ids.size() == 1 ? "" : "s");
}

void run_edit(const std::string& id, const std::vector<std::string>& sets,
              const std::string& review_note, Context& ctx) {
  std::vector<ClaimChange> changes;
  for (const std::string& set : sets) {
    const auto eq = set.find('=');
    if (eq == std::string::npos || eq == 0)
      throw usage_error(fmt::format("--set expects field=value, got '{}'", set));
    changes.push_back({set.substr(0, eq), set.substr(eq + 1)});
  }
  Ledger ledger = Ledger::open(ctx.db, Ledger::Mode::existing);
  ledger.edit(id, changes, review_note);
  const LedgerClaim edited = *ledger.claim(id);
  if (ctx.json)
    print_json(to_json(edited));
  else
    std::cout << fmt::format("edited {} (the previous version is kept in its history)\n", id);
}

void run_import(const std::string& file, bool replace, Context& ctx) {
  // Read and validate the whole file before the ledger is touched.
  const std::vector<Claim> claims = read_claims_csv(std::filesystem::path(file));
  ImportOutcome outcome;
  write_ledger(ctx, [&](Ledger& ledger) { outcome = ledger.import_claims(claims, file, replace); });
  if (ctx.json)
    print_json({{"file", file}, {"added", outcome.added}, {"replaced", outcome.replaced}});
  else
    std::cout << fmt::format("{}: {} claims added, {} replaced in {}\n", file, outcome.added,
                             outcome.replaced, ctx.db);
}

void run_export(const std::vector<std::string>& status, const std::string& out, Context& ctx) {
  const Ledger ledger = Ledger::open(ctx.db, Ledger::Mode::existing);
  const std::string csv = ledger.export_csv(status_filter(status));
  if (out.empty() || out == "-")
    std::cout << csv;
  else
    write_file(out, csv);
}

struct ClaimsArgs {
  std::vector<std::string> status;
  bool csv = false;
  std::vector<std::string> ids;
  std::string note;
  std::string edit_id;
  std::vector<std::string> sets;
  std::string import_file;
  bool replace = false;
  std::vector<std::string> export_status;
  std::string out;
};

}  // namespace

void add_ledger_commands(CLI::App& app, Context& ctx) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* add = app.add_subcommand(
      "add", "Extract the claims of reports and store them in the ledger, proposed for review");
  add->add_option("files", *files, "Reports: plain text or HTML files, - for standard input")
      ->required();
  add->callback([files, &ctx] { run_add(*files, ctx); });

  auto a = std::make_shared<ClaimsArgs>();
  CLI::App* claims = app.add_subcommand(
      "claims", "List the claims in the ledger; review, edit, import and export them");
  claims->require_subcommand(0, 1);
  claims
      ->add_option("--status", a->status,
                   "Only claims with these review statuses (comma-separated or repeated)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::IsMember(kStatuses));
  claims->add_flag("--csv", a->csv, "The claims CSV with the review columns (docs/claims.md)");
  claims->callback([a, claims, &ctx] {
    if (claims->get_subcommands().empty()) run_list(a->status, a->csv, ctx);
  });

  CLI::App* accept = claims->add_subcommand("accept", "Accept claims as evidence");
  accept->add_option("ids", a->ids, "Claim ids")->required();
  accept->add_option("--note", a->note, "Why (kept with the claim)");
  accept->callback([a, &ctx] { run_review(a->ids, a->note, ReviewStatus::accepted, ctx); });

  CLI::App* reject = claims->add_subcommand("reject", "Reject claims: not evidence");
  reject->add_option("ids", a->ids, "Claim ids")->required();
  reject->add_option("--note", a->note, "Why (kept with the claim)");
  reject->callback([a, &ctx] { run_review(a->ids, a->note, ReviewStatus::rejected, ctx); });

  CLI::App* edit = claims->add_subcommand(
      "edit", "Correct a claim's fields; its previous version is kept, its status becomes edited");
  edit->add_option("id", a->edit_id, "Claim id")->required();
  edit->add_option("--set", a->sets, "field=value, as written in the claims CSV (repeatable)")
      ->required()
      ->allow_extra_args(false);
  edit->add_option("--note", a->note, "Why (kept with the claim and its history)");
  edit->callback([a, &ctx] { run_edit(a->edit_id, a->sets, a->note, ctx); });

  CLI::App* import = claims->add_subcommand(
      "import", "Add hand-curated claims from a claims CSV (docs/claims.md), all or none");
  import->add_option("file", a->import_file, "Claims CSV")->required();
  import->add_flag("--replace", a->replace,
                   "Overwrite claims whose id is already in the ledger (history kept)");
  import->callback([a, &ctx] { run_import(a->import_file, a->replace, ctx);
});

CLI::App* exp = claims->add_subcommand("export", "Write the claims as a claims CSV");
exp->add_option("--status", a->export_status,
                "Only claims with these review statuses (comma-separated or repeated; "
                "accepted,edited is the evidence)")
    ->delimiter(',')
    ->allow_extra_args(false)
    ->check(CLI::IsMember(kStatuses));
exp->add_option("-o,--output", a->out, "Output file (default: standard output)");
exp->callback([a, &ctx] { run_export(a->export_status, a->out, ctx); });
}  // namespace recount::cli

}  // namespace recount::cli
