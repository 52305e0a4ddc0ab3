// The claim extractor on the development corpus (bench/evidence/corpus): recall, precision and
// source accuracy per split and language (tests/evidence/corpus_score.hpp defines them), then
// the speed article by article: 2,000 reports as they are (most under 1 KB), and 2,000 articles
// of a few KB each, loaded (hashed, dated) and extracted one at a time, per language. The
// target is 20 MB/s or more on one core.
// --misses prints the dev split's missed and unmatched claims (never the test split's: it is
// scored, not tuned on). --dev scores the dev split only, so that tuning never sees the test
// split's scores either; --folder DIR scores only that folder of the dev split (e.g. en/written-3).

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "corpus_score.hpp"
#include "recount/core/text.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path corpus = fs::path(RECOUNT_SOURCE_DIR) / "bench/evidence/corpus";

std::vector<std::string> reports(const std::string& lang) {
  std::vector<std::string> out;
  for (const char* split : {"dev", "test"})
    for (const auto& entry : fs::recursive_directory_iterator(corpus / split / lang))
      if (entry.is_regular_file() && entry.path().filename() != "gold.csv" &&
          entry.path().filename() != "README.md")
        out.push_back(recount::read_file(entry.path()));
  return out;
}

bool html(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text[first] == '<';
}

// 2,000 articles from the corpus reports, taken in turn: each report alone (most are under
// 1 KB), or, with `least` bytes, consecutive plain-text reports joined by blank lines until the
// article holds that many (the "a few KB each"; a page stays one file).
std::vector<std::string> archive_of(const std::vector<std::string>& texts, std::size_t least) {
  std::vector<std::string> archive;
  for (std::size_t i = 0; archive.size() < 2000;) {
    std::string article = texts[i++ % texts.size()];
    while (!html(article) && article.size() < least && !html(texts[i % texts.size()]))
      article.append("\n\n").append(texts[i++ % texts.size()]);
    archive.push_back(std::move(article));
  }
  return archive;
}

void extract_archive(benchmark::State& state, const std::vector<std::string>& archive) {
  std::size_t bytes = 0;
  for (const auto& a : archive)
    bytes += a.size();
  for (auto _ : state)
    for (const auto& a : archive) {
      const auto doc = recount::make_document(a, "a.txt");
      benchmark::DoNotOptimize(recount::extract_claims(doc).size());
    }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

void BM_ArticleByArticle(benchmark::State& state, const std::string& lang) {
  extract_archive(state, archive_of(reports(lang), 0));
}
void BM_ArticlesOfFewKB(benchmark::State& state, const std::string& lang) {
  extract_archive(state, archive_of(reports(lang), 3000));
}
BENCHMARK_CAPTURE(BM_ArticleByArticle, en, std::string("en"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ArticleByArticle, ru, std::string("ru"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ArticlesOfFewKB, en, std::string("en"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ArticlesOfFewKB, ru, std::string("ru"))->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  bool misses = false;
  bool dev_only = false;
  std::string folder;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i)
    if (std::strcmp(argv[i], "--misses") == 0)
      misses = true;
    else if (std::strcmp(argv[i], "--dev") == 0)
      dev_only = true;
    else if (std::strcmp(argv[i], "--folder") == 0 && i + 1 < argc)
      folder = argv[++i];
    else
      rest.push_back(argv[i]);
  std::printf("%-6s %-4s %6s %8s %10s %10s\n", "split", "lang", "gold", "recall", "precision",
              "source");
  for (const char* split : {"dev", "test"})
    for (const char* lang : {"en", "ru"}) {
      if ((dev_only || !folder.empty()) && std::strcmp(split, "test") == 0) continue;
      if (!folder.empty() && folder.rfind(lang, 0) != 0) continue;
      const recount::corpus::Score s =
          recount::corpus::score(folder.empty() ? corpus / split / lang : corpus / split / folder);
      std::printf("%-6s %-4s %6zu %8.3f %10.3f %10.3f\n", split, lang, s.gold, s.recall(),
                  s.precision(), s.source_accuracy());
      if (misses && std::strcmp(split, "dev") == 0) {
        for (const auto& m : s.misses)
          std::printf("  missed %s\n", m.c_str());
        for (const auto& w : s.wrong)
          std::printf("  wrong  %s\n", w.c_str());
        for (const auto& w : s.wrong_source)
          std::printf("  source %s\n", w.c_str());
      }
    }
  std::fflush(stdout);
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
