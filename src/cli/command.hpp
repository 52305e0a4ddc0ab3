#pragma once
// The CLI is a thin layer: each file here adds one family of subcommands that parse options,
// call the library and print. Shared state lives in Context.

#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace recount::cli {

struct Context {
  int status = 0;  // set to 4 by a command whose result is computed but not to be trusted
  bool json = false;
  std::string db = "recount.db";
};

// Prints JSON on stdout: pretty for a document, one line each for a stream (JSON Lines).
void print_json(const nlohmann::json& value);
void print_json_line(const nlohmann::json& value);

// The subcommand NAME of `app`, created with DESCRIPTION if no family has made it yet (several
// families add to `recount simulate`).
CLI::App* subcommand(CLI::App& app, const std::string& name, const std::string& description);

// Marks the result as not to be trusted: prints the reasons on stderr, exit status 4.
void untrusted(Context& ctx, const std::string& reason);
void add_mse_commands(CLI::App& app, Context& ctx);
void add_study_commands(CLI::App& app, Context& ctx);
void add_synthesis_commands(CLI::App& app, Context& ctx);
void add_simulate_lists_command(CLI::App& app, Context& ctx);
void add_ledger_commands(CLI::App& app, Context& ctx);
void add_link_commands(CLI::App& app, Context& ctx);
void add_extract_commands(CLI::App& app, Context& ctx);
void add_excess_command(CLI::App& app, Context& ctx);

}  // namespace recount::cli
