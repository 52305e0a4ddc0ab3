// recount: the command-line front of the library. Exit codes: 0 success, 1 bad input,
// 2 bad usage, 3 internal error, 4 computed but not to be trusted.

#include <cstdio>
#include <exception>
#include <iostream>

#include <fmt/format.h>

#include "command.hpp"
#include "recount/core/error.hpp"
#include "recount/core/progress.hpp"
#include "recount/version.hpp"

namespace recount::cli {

void print_json(const nlohmann::json& value) {
  std::cout << value.dump(2) << '\n';
}

void print_json_line(const nlohmann::json& value) {
  std::cout << value.dump() << '\n';
}

CLI::App* subcommand(CLI::App& app, const std::string& name, const std::string& description) {
  for (CLI::App* sub : app.get_subcommands({}))
    if (sub->get_name() == name) return sub;
  CLI::App* sub = app.add_subcommand(name, description);
  sub->require_subcommand(1);
  return sub;
}

void untrusted(Context& ctx, const std::string& reason) {
  ctx.status = exit_code(ErrorKind::untrusted);
  std::fputs(fmt::format("recount: not to be trusted: {}\n", reason).c_str(), stderr);
}

}  // namespace recount::cli

int main(int argc, char** argv) {
  using recount::cli::Context;
  CLI::App app{
      "recount: honest, reproducible estimates of hidden populations from conflicting published "
      "figures and incomplete lists of names.",
      "recount"};
  app.set_version_flag("--version", std::string("recount ") + RECOUNT_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  Context ctx;
  bool quiet = false;
  app.add_flag("-q,--quiet", quiet, "No progress output on stderr");
  app.add_option("--db", ctx.db, "The evidence ledger (SQLite)")->capture_default_str();
  app.add_flag("--json", ctx.json, "Machine-readable output on stdout");
  app.parse_complete_callback([&] { recount::set_progress_enabled(!quiet); });
  recount::cli::add_mse_commands(app, ctx);
  recount::cli::add_study_commands(app, ctx);
  recount::cli::add_synthesis_commands(app, ctx);
  recount::cli::add_simulate_lists_command(app, ctx);
  recount::cli::add_ledger_commands(app, ctx);
  recount::cli::add_link_commands(app, ctx);
  recount::cli::add_extract_commands(app, ctx);
  recount::cli::add_excess_command(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : recount::exit_code(recount::ErrorKind::usage);
  } catch (const recount::Error& e) {
    std::fputs(fmt::format("recount: error: {}\n", e.what()).c_str(), stderr);
    return recount::exit_code(e.kind());
  } catch (const std::exception& e) {
    std::fputs(fmt::format("recount: internal error: {}\n", e.what()).c_str(), stderr);
    return recount::exit_code(recount::ErrorKind::internal);
  }
  std::cout.flush();
  if (!std::cout) {
    std::fputs("recount: error: could not write the output (closed pipe or full disk)\n", stderr);
    return recount::exit_code(recount::ErrorKind::internal);
  }
  return ctx.status;
}
