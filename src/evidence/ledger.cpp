#include "recount/evidence/ledger.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unicode/unistr.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "ledger_schema.hpp"
#include "recount/core/text.hpp"
#include "recount/evidence/claims_csv.hpp"

namespace recount {

namespace {

constexpr int kBusyTimeoutMs = 5000;  // another recount writing the same ledger: wait, then fail

std::string now_utc() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

// Who reviewed: the login name, so a shared ledger says who accepted what.
std::string reviewer() {
  for (const char* var : {"USER", "LOGNAME"})
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0') return v;
  return "unknown";
}

std::string join_hedges(const std::vector<Hedge>& hedges) {
  std::string out;
  for (Hedge h : hedges) {
    if (!out.empty()) out += ';';
    out += to_string(h);
  }
  return out;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

// A source name as the ledger compares it: case folded by ICU (full Unicode folding, so
// «ГРУППА» and «Группа» are one source, which SQLite's ASCII-only NOCASE would miss).
std::string folded_source(std::string_view name) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  u.foldCase();
  std::string out;
  u.toUTF8String(out);
  return out;
}

// recount_fold(text), the same folding inside SQL: the migration that folds existing ledgers.
void sqlite_fold(sqlite3_context* context, int, sqlite3_value** argv) {
  const unsigned char* text = sqlite3_value_text(argv[0]);
  if (text == nullptr) {
    sqlite3_result_null(context);
    return;
  }
  const std::string out = folded_source(std::string_view(
      reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))));
  sqlite3_result_text(context, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

// The canonical source name: the person or body as named, else the organisation, with runs of
// white space collapsed (sources are unique case-insensitively).
std::string canonical_source(const Claim& c) {
  const std::string_view raw = trim(c.source.empty() ? c.source_org : c.source);
  std::string out;
  bool space = false;
  for (char ch : raw) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

// A database failure as a recount error naming the ledger file.
Error ledger_error(const std::filesystem::path& path, const SQLite::Exception& e) {
  const int code = e.getErrorCode();
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
    return bad_input({.file = path.string()},
                     fmt::format("the ledger is damaged or not a recount ledger ({})", e.what()));
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    return Error(ErrorKind::internal, {.file = path.string()},
                 "the ledger is locked by another program (another recount writing it?); try "
                 "again when it is done");
  if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
    return bad_input({.file = path.string()},
                     fmt::format("cannot write the ledger ({}): check its permissions", e.what()));
  return Error(ErrorKind::internal, {.file = path.string()},
               fmt::format("ledger database error: {}", e.what()));
}

void bind_text(SQLite::Statement& st, int i, const std::string& s) {
  st.bind(i, s);
}
void bind_opt(SQLite::Statement& st, int i, const std::optional<std::size_t>& v) {
  if (v)
    st.bind(i, static_cast<std::int64_t>(*v));
  else
    st.bind(i);
}
void bind_opt(SQLite::Statement& st, int i, const std::optional<double>& v) {
  if (v)
    st.bind(i, *v);
  else
    st.bind(i);
}
void bind_opt(SQLite::Statement& st, int i, const std::optional<Date>& v) {
  if (v)
    st.bind(i, v->iso());
  else
    st.bind(i);
}
void bind_opt_text(SQLite::Statement& st, int i, const std::string& s) {
  if (s.empty())
    st.bind(i);
  else
    st.bind(i, s);
}

constexpr const char* kClaimColumns =
    "id, document, start, \"end\", text, measure, population, kind, low, high, rate, source, "
    "source_org, source_type, via, hedges, as_of, published, note, url, status, review_note, "
    "reviewed_at";

// Binds a claim's fields to parameters 1..20 in kClaimColumns order (id .. url) and 21 status.
void bind_claim(SQLite::Statement& st, const Claim& c) {
  bind_text(st, 1, c.id);
  bind_text(st, 2, c.document);
  bind_opt(st, 3, c.start);
  bind_opt(st, 4, c.end);
  bind_text(st, 5, c.text);
  st.bind(6, std::string(to_string(c.measure)));
  bind_text(st, 7, c.population);
  st.bind(8, std::string(to_string(c.kind)));
  bind_opt(st, 9, c.low);
  bind_opt(st, 10, c.high);
  st.bind(11, std::string(to_string(c.rate)));
  bind_text(st, 12, c.source);
  bind_text(st, 13, c.source_org);
  if (c.source_type)
    st.bind(14, std::string(to_string(*c.source_type)));
  else
    st.bind(14);
  bind_text(st, 15, c.via);
  st.bind(16, join_hedges(c.hedges));
  bind_opt(st, 17, c.as_of);
  bind_opt(st, 18, c.published);
  bind_text(st, 19, c.note);
  bind_text(st, 20, c.url);
  st.bind(21, std::string(to_string(c.status)));
}

}  // namespace

nlohmann::json to_json(const LedgerClaim& c) {
  nlohmann::json j = to_json(c.claim);
  j["document_id"] = c.document_id.empty() ? nlohmann::json() : nlohmann::json(c.document_id);
  j["review_note"] = c.review_note.empty() ? nlohmann::json() : nlohmann::json(c.review_note);
  j["reviewed_at"] = c.reviewed_at.empty() ? nlohmann::json() : nlohmann::json(c.reviewed_at);
  return j;
}

const std::vector<std::string>& editable_claim_fields() {
  static const std::vector<std::string> fields{
      "text",       "measure",     "population", "kind",   "low",   "high",      "rate", "source",
      "source_org", "source_type", "via",        "hedges", "as_of", "published", "note", "url"};
  return fields;
}

Claim apply_changes(Claim claim, const std::vector<ClaimChange>& changes) {
  const auto& editable = editable_claim_fields();
  nlohmann::json j = to_json(claim);
  bool low_set = false;
  bool high_set = false;
  for (const auto& change : changes) {
    const Location where{.key = change.field};
    if (std::find(editable.begin(), editable.end(), change.field) == editable.end())
      throw bad_input(where,
                      fmt::format("not a field an edit can change (one of: {})", join(editable)));
    const std::string_view value = trim(change.value);
    if (change.field == "low" || change.field == "high") {
      (change.field == "low" ? low_set : high_set) = true;
      if (value.empty()) {
        j[change.field] = nullptr;
        continue;
      }
      double number = 0;
      const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (ec != std::errc{} || p != value.data() + value.size() || !std::isfinite(number))
        throw bad_input(where, fmt::format("'{}' is not a number", value));
      j[change.field] = number;
    } else if (change.field == "hedges") {
      nlohmann::json hedges = nlohmann::json::array();
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto semi = rest.find(';');
        const auto word = trim(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        if (!word.empty()) hedges.push_back(std::string(word));
      }
      j["hedges"] = hedges;
    } else if (change.field == "text") {
      j["text"] = change.value;  // the sentence as written, spaces included
    } else {
      j[change.field] = value.empty() ? nlohmann::json() : nlohmann::json(std::string(value));
    }
  }
  // As in the claims CSV, a point or approximate claim states one number: setting one bound
  // sets both.
  const std::string kind = j["kind"].get<std::string>();
  if (kind == "point" || kind == "approximate") {
    if (low_set && !high_set) j["high"] = j["low"];
    if (high_set && !low_set) j["low"] = j["high"];
  }
  return claim_from_json(j, "--set");
}

struct Ledger::Impl {
  std::filesystem::path path;
  SQLite::Database db;
  int depth = 0;  // nesting of in_one_transaction / writing calls

  Impl(std::filesystem::path p, int flags) : path(std::move(p)), db(path, flags, kBusyTimeoutMs) {}

  // Runs body inside the command's transaction, opening it when none is open. The outermost
  // level commits, or rolls back on any exception.
  template <typename F>
  auto write(F&& body) {
    if (depth > 0) return body();
    db.exec("BEGIN IMMEDIATE");
    ++depth;
    try {
      if constexpr (std::is_void_v<decltype(body())>) {
        body();
        db.exec("COMMIT");
        --depth;
      } else {
        auto result = body();
        db.exec("COMMIT");
        --depth;
        return result;
      }
    } catch (...) {
      --depth;
      db.tryExec("ROLLBACK");
      throw;
    }
  }

  Claim read_claim(SQLite::Statement& st, int first) const {
    const auto text = [&](int i) { return st.getColumn(first + i).getString(); };
    const auto null = [&](int i) { return st.getColumn(first + i).isNull(); };
    Claim c;
    c.id = text(0);
    const auto damaged = [&](const char* field, const std::string& value) {
      return bad_input({.file = path.string(), .key = field},
                       fmt::format("claim '{}' has the unknown value '{}' (the ledger was "
                                   "changed by another program)",
                                   c.id, value));
    };
    c.document = text(1);
    if (!null(2)) c.start = static_cast<std::size_t>(st.getColumn(first + 2).getInt64());
    if (!null(3)) c.end = static_cast<std::size_t>(st.getColumn(first + 3).getInt64());
    c.text = text(4);
    // A study may declare measures of its own, so the ledger holds any well-formed one.
    if (!valid_measure_id(text(5))) throw damaged("measure", text(5));
    c.measure = Measure(text(5));
    c.population = text(6);
    const auto kind = parse_claim_kind(text(7));
    if (!kind) throw damaged("kind", text(7));
    c.kind = *kind;
    if (!null(8)) c.low = st.getColumn(first + 8).getDouble();
    if (!null(9)) c.high = st.getColumn(first + 9).getDouble();
    const auto rate = parse_rate(text(10));
    if (!rate) throw damaged("rate", text(10));
    c.rate = *rate;
    c.source = text(11);
    c.source_org = text(12);
    if (!null(13)) {
      c.source_type = parse_source_type(text(13));
      if (!c.source_type) throw damaged("source_type", text(13));
    }
    c.via = text(14);
    std::string_view hedges = st.getColumn(first + 15).getText();
    std::string hedge_text(hedges);
    hedges = hedge_text;
    while (!hedges.empty()) {
      const auto semi = hedges.find(';');
      const auto word = hedges.substr(0, semi);
      hedges = semi == std::string_view::npos ? std::string_view{} : hedges.substr(semi + 1);
      const auto h = parse_hedge(word);
      if (!h) throw damaged("hedges", std::string(word));
      add_hedge(c, *h);
    }
    const auto date = [&](int i, const char* field) -> std::optional<Date> {
      if (null(i)) return std::nullopt;
      const auto d = Date::parse_iso(text(i));
      if (!d) throw damaged(field, text(i));
      return d;
    };
    c.as_of = date(16, "as_of");
    c.published = date(17, "published");
    c.note = text(18);
    c.url = text(19);
    const auto status = parse_review_status(text(20));
    if (!status) throw damaged("status", text(20));
    c.status = *status;
    return c;
  }

  std::vector<LedgerClaim> select_claims(const std::string& where,
                                         const std::vector<std::string>& params) const {
    SQLite::Statement st(
        db, fmt::format("SELECT {}, (SELECT document_id FROM provenance p WHERE p.claim_id = c.id "
                        "AND p.document_id IS NOT NULL ORDER BY p.id LIMIT 1) FROM claims c {} "
                        "ORDER BY c.rowid",
                        kClaimColumns, where));
    for (std::size_t i = 0; i < params.size(); ++i)
      st.bind(static_cast<int>(i + 1), params[i]);
    std::vector<LedgerClaim> out;
    while (st.executeStep()) {
      LedgerClaim lc;
      lc.claim = read_claim(st, 0);
      lc.review_note = st.getColumn(21).getString();
      lc.reviewed_at = st.getColumn(22).getString();
      lc.document_id = st.getColumn(23).getString();
      out.push_back(std::move(lc));
    }
    return out;
  }

  std::optional<LedgerClaim> find(const std::string& id) const {
    auto found = select_claims("WHERE c.id = ?", {id});
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  LedgerClaim require(const std::string& id) const {
    auto found = find(id);
    if (!found)
      throw bad_input({.file = path.string()},
                      fmt::format("no claim with id '{}' in the ledger (list them with `recount "
                                  "claims`)",
                                  id));
    return std::move(*found);
  }

  // The sources row of a claim's canonical source, created on first use; null when unnamed.
  std::optional<std::int64_t> source_id(const Claim& c) {
    const std::string name = canonical_source(c);
    if (name.empty()) return std::nullopt;
    const std::string folded = folded_source(name);
    SQLite::Statement insert(db,
                             "INSERT OR IGNORE INTO sources(name, folded, type) VALUES (?, ?, ?)");
    insert.bind(1, name);
    insert.bind(2, folded);
    if (c.source_type)
      insert.bind(3, std::string(to_string(*c.source_type)));
    else
      insert.bind(3);
    insert.exec();
    if (c.source_type) {
      SQLite::Statement type(db, "UPDATE sources SET type = ? WHERE folded = ? AND type IS NULL");
      type.bind(1, std::string(to_string(*c.source_type)));
      type.bind(2, folded);
      type.exec();
    }
    SQLite::Statement id(db, "SELECT id FROM sources WHERE folded = ?");
    id.bind(1, folded);
    id.executeStep();
    return id.getColumn(0).getInt64();
  }

  void insert_claim(const Claim& c, const std::string& review_note, bool reviewed) {
    SQLite::Statement st(db, fmt::format("INSERT INTO claims({}, source_id, added_at) VALUES "
                                         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                                         "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, "
                                         "?25)",
                                         kClaimColumns));
    bind_claim(st, c);
    st.bind(22, review_note);
    const std::string now = now_utc();
    if (reviewed)
      st.bind(23, now);
    else
      st.bind(23);
    if (const auto sid = source_id(c))
      st.bind(24, *sid);
    else
      st.bind(24);
    st.bind(25, now);
    st.exec();
  }

  void update_claim(const Claim& c, const std::string& review_note) {
    SQLite::Statement st(
        db,
        "UPDATE claims SET document = ?2, start = ?3, \"end\" = ?4, text = ?5, measure = ?6, "
        "population = ?7, kind = ?8, low = ?9, high = ?10, rate = ?11, source = ?12, "
        "source_org = ?13, source_type = ?14, via = ?15, hedges = ?16, as_of = ?17, "
        "published = ?18, note = ?19, url = ?20, status = ?21, review_note = ?22, "
        "reviewed_at = ?23, source_id = ?24 WHERE id = ?1");
    bind_claim(st, c);
    st.bind(22, review_note);
    if (c.status == ReviewStatus::proposed)
      st.bind(23);
    else
      st.bind(23, now_utc());
    if (const auto sid = source_id(c))
      st.bind(24, *sid);
    else
      st.bind(24);
    st.exec();
  }

  void add_provenance(const std::string& claim_id, const std::string& document_id,
                      const std::optional<std::size_t>& start,
                      const std::optional<std::size_t>& end, const std::string& origin,
                      const std::string& previous, const std::string& note) {
    SQLite::Statement st(db,
                         "INSERT INTO provenance(claim_id, document_id, start, \"end\", origin, "
                         "previous, changed_by, changed_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                         "?)");
    st.bind(1, claim_id);
    bind_opt_text(st, 2, document_id);
    bind_opt(st, 3, start);
    bind_opt(st, 4, end);
    st.bind(5, origin);
    bind_opt_text(st, 6, previous);
    st.bind(7, reviewer());
    st.bind(8, now_utc());
    st.bind(9, note);
    st.exec();
  }

  void review(const std::vector<std::string>& ids, ReviewStatus status, const std::string& note) {
    write([&] {
      SQLite::Statement st(db,
                           "UPDATE claims SET status = ?, review_note = ?, reviewed_at = ? "
                           "WHERE id = ?");
      for (const auto& id : ids) {
        (void)require(id);
        st.reset();
        st.bind(1, std::string(to_string(status)));
        st.bind(2, note);
        st.bind(3, now_utc());
        st.bind(4, id);
        st.exec();
      }
    });
  }

  bool exists(const std::string& table, const std::string& id) const {
    SQLite::Statement st(db, fmt::format("SELECT 1 FROM {} WHERE id = ?", table));
    st.bind(1, id);
    return st.executeStep();
  }

  // Applies the pending migrations in one transaction.
  void migrate() {
    const auto& migrations = detail::ledger_migrations();
    const int latest = static_cast<int>(migrations.size());
    const int version = db.execAndGet("PRAGMA user_version").getInt();
    if (version > latest)
      throw bad_input({.file = path.string()},
                      fmt::format("the ledger has schema version {}, newer than this recount "
                                  "understands (version {}); use a newer recount",
                                  version, latest));
    const int app_id = db.execAndGet("PRAGMA application_id").getInt();
    const int tables =
        db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").getInt();
    if (app_id != detail::kLedgerApplicationId && (app_id != 0 || tables > 0 || version > 0))
      throw bad_input({.file = path.string()},
                      "an SQLite database of another program, not a recount ledger");
    if (version == latest) return;
    write([&] {
      for (int v = version; v < latest; ++v)
        db.exec(std::string(migrations[static_cast<std::size_t>(v)]));
      db.exec(fmt::format("PRAGMA application_id = {}", detail::kLedgerApplicationId));
      db.exec(fmt::format("PRAGMA user_version = {}", latest));
    });
  }
};

namespace {

// An SQLite file starts with these 16 bytes; anything else is refused before SQLite sees it.
bool has_sqlite_header(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw bad_input({.file = path.string()}, "cannot read the ledger: check its permissions");
  std::array<char, 16> header{};
  in.read(header.data(), header.size());
  if (in.gcount() == 0 && in.eof()) return true;       // an empty file is an empty database
  static constexpr char kMagic[] = "SQLite format 3";  // 15 characters and the final NUL
  return in.gcount() == 16 && std::equal(header.begin(), header.end(), kMagic);
}

}  // namespace

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;
Ledger::~Ledger() = default;

int Ledger::schema_version() noexcept {
  return static_cast<int>(detail::ledger_migrations().size());
}

Ledger Ledger::open(const std::filesystem::path& path, Mode mode) {
  std::error_code ec;
  const bool present = std::filesystem::exists(path, ec);
  if (!present && mode == Mode::existing)
    throw bad_input({.file = path.string()},
                    "no ledger here; create one with `recount add REPORT...` or `recount claims "
                    "import FILE.csv` (or give another with --db)");
  if (present) {
    if (std::filesystem::is_directory(path, ec))
      throw bad_input({.file = path.string()}, "is a directory, not a ledger file");
    if (!has_sqlite_header(path))
      throw bad_input({.file = path.string()}, "not a recount ledger (not an SQLite database)");
  } else {
    // Created readable by its owner only: the reports' texts may name people. SQLite gives its
    // journal the same permissions.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
      throw bad_input({.file = path.string()},
                      fmt::format("cannot create the ledger: {}", std::strerror(errno)));
    ::close(fd);
  }
  try {
    const int flags = SQLite::OPEN_READWRITE;
    auto impl = std::make_unique<Impl>(path, flags);
    // A rollback journal, not WAL: the ledger stays one self-contained file to copy, archive
    // or send, works on network file systems, and one writer at a time is all we need.
    impl->db.exec("PRAGMA foreign_keys = ON");
    impl->db.exec("PRAGMA journal_mode = DELETE");
    impl->db.exec("PRAGMA synchronous = FULL");
    impl->db.createFunction("recount_fold", 1, true, nullptr, &sqlite_fold);
    impl->migrate();
    return Ledger(std::move(impl));
  } catch (const SQLite::Exception& e) {
    if (!present) std::filesystem::remove(path, ec);
    throw ledger_error(path, e);
  }
}

const std::filesystem::path& Ledger::path() const noexcept {
  return impl_->path;
}

void Ledger::in_one_transaction(const std::function<void()>& body) {
  try {
    impl_->write(body);
  } catch (const SQLite::Exception& e) {
    throw ledger_error(impl_->path, e);
  }
}

std::optional<std::string> Ledger::document_origin(const std::string& id) const {
  try {
    SQLite::Statement st(impl_->db, "SELECT origin FROM documents WHERE id = ?");
    st.bind(1, id);
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getString();
  } catch (const SQLite::Exception& e) {
    throw ledger_error(impl_->path, e);
  }
}

std::size_t Ledger::add_document(const Document& document, std::vector<Claim> claims) {
  const std::string& id = document.id;
  try {
    return impl_->write([&]() -> std::size_t {
      if (impl_->exists("documents", id)) return 0;
      SQLite::Statement doc(impl_->db,
                            "INSERT INTO documents(id, origin, format, title, date, text, "
                            "added_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
      doc.bind(1, id);
      doc.bind(2, document.origin);
      doc.bind(3, document.format);
      doc.bind(4, document.title);
      bind_opt(doc, 5, document.date);
      doc.bindNoCopy(6, document.text);
      doc.bind(7, now_utc());
      doc.exec();
      // Claim ids start with 8 hex digits of the content hash; when another report's claims
      // already use them (1 in 4 billion per pair), take more digits until they are free.
      for (std::size_t digits = 8; digits <= id.size(); digits += 4) {
        const std::string prefix = id.substr(0, digits);
        const bool taken = std::any_of(claims.begin(), claims.end(), [&](const Claim& c) {
          const auto dash = c.id.find('-');
          const std::string renamed = dash == std::string::npos ? c.id : prefix + c.id.substr(dash);
          return impl_->exists("claims", renamed);
        });
        if (!taken) {
          for (auto& c : claims) {
            const auto dash = c.id.find('-');
            if (dash != std::string::npos) c.id = prefix + c.id.substr(dash);
          }
          break;
        }
      }
      for (auto& c : claims) {
        c.status = ReviewStatus::proposed;
        impl_->insert_claim(c, "", false);
        impl_->add_provenance(c.id, id, c.start, c.end, document.origin, "", "extracted");
      }
      return claims.size();
    });
  } catch (const SQLite::Exception& e) {
    throw ledger_error(impl_->path, e);
  }
}

std::vector<LedgerClaim> Ledger::claims(const std::vector<ReviewStatus>& statuses) const {
  try {
    if (statuses.empty()) return impl_->select_claims("", {});
    std::string where = "WHERE c.status IN (";
    std::vector<std::string> params;
    for (ReviewStatus s : statuses) {
      where += params.empty() ? "?" : ", ?";
      params.emplace_back(to_string(s));
    }
    where += ")";
    return impl_->select_claims(where, params);
  } catch (const SQLite::Exception& e) {
    throw ledger_error(impl_->path, e);
  }
}

std::optional<LedgerClaim> Ledger::claim(const std::string& id) const {
  try {
    return impl_->find(id);
  } catch (const SQLite::Exception& e) {
    throw ledger_error(impl_->path, e);
  }
}

std::vector<ProvenanceRecord> Ledger::history(const std::string& id) const {
  try {
    SQLite::Statement st(impl_->db,
                         "SELECT claim_id, document_id, start, \"end\", origin, previous, "
                         "changed_by, changed_at, note FROM provenance WHERE claim_id = ? ORDER "
                         "BY id");
    st.bind(1, id);
    std::vector<ProvenanceRecord> out;
    while (st.executeStep()) {
      ProvenanceRecord r;
      r.claim_id = st.getColumn(0).getString();
      r.document_id = st.getColumn(1).getString();
      if (!st.getColumn(2).isNull()) r.start = static_cast<std::size_t>(st.getColumn(2).getInt64());
      if (!st.getColumn(3).isNull()) r.end = static_cast<std::size_t>(st.getColumn(3).getInt64());
      r.origin = st.getColumn(4).getString();
      r.previous = st.getColumn(5).getString();
      r.changed_by = st.getColumn(6).getString();
      r.changed_at = st.getColumn(7).getString();
      r.note = st.getColumn(8).getString();
      out.push_back(std::move(r));
    }
    return out;
  } catch (const SQLite::Exception& e) {
    throw ledger_error(impl_->path, e);
  }
}

void Ledger::accept(const std::vector<std::string>& ids, const std::string& note) {
  try {
    impl_->review(ids, ReviewStatus::accepted, note);
  } catch (const SQLite::Exception& e) {
    throw ledger_error(impl_->path, e);
  }
}

void Ledger::reject(const std::vector<std::string>& ids, const std::string& note) {
  try {
    impl_->review(ids, ReviewStatus::rejected, note);
  } catch (const SQLite::Exception& e) {
    throw ledger_error(impl_->path, e);
  }
}

void Ledger::edit(const std::string& id, const std::vector<ClaimChange>& changes,
                  const std::string& note) {
  try {
    impl_->write([&] {
      const LedgerClaim before = impl_->require(id);
      Claim after;
      try {
        after = apply_changes(before.claim, changes);
      } catch (const Error& e) {
        throw bad_input({.file = impl_->path.string()},
                        fmt::format("claim '{}' not edited: {}", id, e.what()));
      }
      after.status = ReviewStatus::edited;
      impl_->update_claim(after, note);
      impl_->add_provenance(id, before.document_id, after.start, after.end, "edit",
                            to_json(before).dump(), note);
    });
  } catch (const SQLite::Exception& e) {
    throw ledger_error(impl_->path, e);
  }
}

ImportOutcome Ledger::import_claims(const std::vector<Claim>& claims, const std::string& file,
                                    bool replace) {
  try {
    return impl_->write([&] {
      ImportOutcome outcome;
      SQLite::Statement doc(impl_->db,
                            "SELECT id FROM documents WHERE id = ?1 OR origin = ?1 LIMIT 1");
      for (const auto& c : claims) {
        std::string document_id;
        if (!c.document.empty()) {
          doc.reset();
          doc.bind(1, c.document);
          if (doc.executeStep()) document_id = doc.getColumn(0).getString();
        }
        const std::string note = fmt::format("imported from {}", file);
        const bool reviewed = c.status != ReviewStatus::proposed;
        if (auto before = impl_->find(c.id)) {
          if (!replace)
            throw bad_input({.file = file, .key = "id"},
                            fmt::format("claim '{}' is already in the ledger {} (give --replace "
                                        "to overwrite it; the old version is kept in its history)",
                                        c.id, impl_->path.string()));
          impl_->update_claim(c, reviewed ? note : "");
          impl_->add_provenance(c.id, document_id, c.start, c.end, file, to_json(*before).dump(),
                                "replaced by " + note);
          ++outcome.replaced;
        } else {
          impl_->insert_claim(c, reviewed ? note : "", reviewed);
          impl_->add_provenance(c.id, document_id, c.start, c.end, file, "", note);
          ++outcome.added;
        }
      }
      return outcome;
    });
  } catch (const SQLite::Exception& e) {
    throw ledger_error(impl_->path, e);
  }
}

std::string Ledger::export_csv(const std::vector<ReviewStatus>& statuses) const {
  std::vector<Claim> out;
  for (auto& lc : claims(statuses))
    out.push_back(std::move(lc.claim));
  return write_claims_csv(out, true);
}

}  // namespace recount
