// Claim extraction speed in MB/s of news text (the target: 20 MB/s or more on one core). The
// text is ~10 MB made by repeating the project's own test articles.

#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>

#include "recount/core/text.hpp"
#include "recount/evidence/document.hpp"
#include "recount/evidence/extract.hpp"

namespace {

std::string news_text() {
  namespace fs = std::filesystem;
  std::string articles;
  const fs::path dir = fs::path(RECOUNT_SOURCE_DIR) / "tests/evidence/articles";
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".txt") articles += recount::read_file(entry.path()) + "\n\n";
  articles += recount::read_file(fs::path(RECOUNT_SOURCE_DIR) / "examples/articles/sample.txt");
  std::string text;
  text.reserve(10u << 20);
  while (text.size() < (10u << 20))
    text += articles + "\n\n";
  return text;
}

void BM_ExtractClaims(benchmark::State& state) {
  recount::Document doc;
  doc.id = "benchmark";
  doc.origin = "bench.txt";
  doc.text = news_text();
  std::size_t claims = 0;
  for (auto _ : state) {
    const auto out = recount::extract_claims(doc);
    claims = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * doc.text.size()));
  state.counters["claims"] = static_cast<double>(claims);
}
BENCHMARK(BM_ExtractClaims)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// A whole article at a time, as `recount add` reads an archive: load (hash, dateline) and extract.
void BM_ArticleAtATime(benchmark::State& state) {
  const std::string article = recount::read_file(std::filesystem::path(RECOUNT_SOURCE_DIR) /
                                                 "tests/evidence/articles/a02_losses.txt");
  for (auto _ : state) {
    const auto doc = recount::make_document(article, "a.txt");
    benchmark::DoNotOptimize(recount::extract_claims(doc).size());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * article.size()));
}
BENCHMARK(BM_ArticleAtATime);

}  // namespace

BENCHMARK_MAIN();
