// Speed of the name keys, the full-name parser and the string similarities that record linkage
// calls per record (keys) and per candidate pair (similarities).

#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "recount/linkage/names.hpp"
#include "recount/linkage/similarity.hpp"

namespace {

constexpr std::array kSurnames{"Фёдоров",       "Иванова", "Хабибуллин", "Достоевский",
                               "Щукин",         "Зайцев",  "Кузнецова",  "Шевчук",
                               "Петров-Водкин", "Смирнов", "Ковальчук",  "Гончаренко"};
constexpr std::array kGiven{"Сергей", "Александр", "Дмитрий", "Серёжа", "Oleksandr", "Mykola",
                            "Ivan",   "Юрий",      "Андрій",  "Pavel",  "Виталий",   "Артём"};
constexpr std::array kPatronymic{"Павлович",   "Сергеевич", "Ivanovich", "Олександрович",
                                 "Николаевна", "Petrovich", "Юрьевич",   "Андреевич"};

// Full names; `distinct` makes every surname unique (a numbered suffix of letters), so that the
// per-thread transliteration cache misses as it would on a list of rare names.
std::vector<std::string> full_names(std::size_t n, bool distinct) {
  std::vector<std::string> names;
  names.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::string s = kSurnames[i % kSurnames.size()];
    if (distinct) {
      for (std::size_t k = i; k > 0; k /= 20)
        s += "абвгдежзиклмнопрстух"[2 * (k % 20)];
    }
    s += ' ';
    s += kGiven[(i / 7) % kGiven.size()];
    s += ' ';
    s += kPatronymic[(i / 3) % kPatronymic.size()];
    names.push_back(std::move(s));
  }
  return names;
}

void BM_KeysOfARecord(benchmark::State& state) {
  const auto names = full_names(4096, state.range(0) != 0);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& full = names[i++ % names.size()];
    const auto parts = recount::linkage::parse_full_name(full);
    benchmark::DoNotOptimize(recount::linkage::surname_key(parts.surname));
    benchmark::DoNotOptimize(recount::linkage::given_key(parts.given));
    benchmark::DoNotOptimize(recount::linkage::patronymic_key(parts.patronymic));
  }
  state.SetItemsProcessed(state.iterations());
}
// Threads(2): the keys scale across threads (each has its own ICU transliterators and cache).
BENCHMARK(BM_KeysOfARecord)->Arg(0)->Arg(1)->Threads(1)->Threads(2);

void BM_Latin(benchmark::State& state) {
  const auto names = full_names(4096, true);
  std::size_t i = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(recount::linkage::latin(names[i++ % names.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Latin);

const std::vector<std::string> kKeys{"fedorov",     "fedorova", "gabibulin", "dostoevski",
                                     "shukin",      "zaicev",   "kuznecov",  "shevchuk",
                                     "petrovodkin", "smirnov",  "kovalchuk", "goncharenko",
                                     "ivanov",      "ivashov",  "sergei"};

void BM_JaroWinkler(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& a = kKeys[i % kKeys.size()];
    const auto& b = kKeys[(i * 7 + 3) % kKeys.size()];
    benchmark::DoNotOptimize(recount::linkage::jaro_winkler(a, b));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JaroWinkler);

void BM_DamerauLevenshtein(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& a = kKeys[i % kKeys.size()];
    const auto& b = kKeys[(i * 7 + 3) % kKeys.size()];
    benchmark::DoNotOptimize(recount::linkage::damerau_levenshtein(a, b, 2));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DamerauLevenshtein);

}  // namespace

BENCHMARK_MAIN();
