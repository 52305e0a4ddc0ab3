// The folder tree is the architecture: a capability includes only recount headers of the
// capabilities cmake/layers.txt lists below it, and every source mirrors a public header folder.

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace fs = std::filesystem;

namespace {

std::map<std::string, std::set<std::string>> read_layers() {
  std::ifstream in(fs::path(RECOUNT_SOURCE_DIR) / "cmake" / "layers.txt");
  std::map<std::string, std::set<std::string>> allowed;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    const std::string layer = line.substr(0, colon);
    std::istringstream deps(line.substr(colon + 1));
    std::set<std::string> set{layer};
    for (std::string d; deps >> d;)
      set.insert(d);
    allowed[layer] = set;
  }
  return allowed;
}

std::string layer_of(const fs::path& file, const fs::path& root) {
  const auto rel = fs::relative(file, root);
  auto it = rel.begin();
  if (*it == "include") {
    ++it;  // recount
    ++it;
  } else {
    ++it;  // src
  }
  std::string name = it->string();
  if (name.ends_with(".hpp")) name = name.substr(0, name.size() - 4);  // umbrella headers
  return name;
}

// "recount/mse/x.hpp" -> "mse"; "recount/core.hpp" -> "core"; empty for other lines.
std::string included_capability(const std::string& line) {
  const std::string prefix = "#include \"recount/";
  if (line.rfind(prefix, 0) != 0) return {};
  const auto start = prefix.size();
  const auto stop = line.find_first_of("/.", start);
  return stop == std::string::npos ? std::string{} : line.substr(start, stop - start);
}

}  // namespace

TEST(Architecture, NoCapabilityIncludesUpward) {
  const auto allowed = read_layers();
  ASSERT_FALSE(allowed.empty());
  const fs::path root(RECOUNT_SOURCE_DIR);
  std::vector<std::string> violations;
  std::size_t files = 0;
  for (const auto* dir : {"src", "include/recount"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      if (!entry.is_regular_file()) continue;
      const auto ext = entry.path().extension();
      if (ext != ".cpp" && ext != ".hpp") continue;
      const std::string layer = layer_of(entry.path(), root);
      const auto rule = allowed.find(layer);
      if (rule == allowed.end()) {
        if (layer != "recount" && layer != "version")
          violations.push_back(entry.path().string() + ": no layer");
        continue;
      }
      ++files;
      std::ifstream in(entry.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        const std::string to = included_capability(line);
        if (!to.empty() && to != "version" && !rule->second.contains(to))
          violations.push_back(entry.path().string() + ":" + std::to_string(n) + " includes " + to);
      }
    }
  }
  EXPECT_GT(files, 0u);
  for (const auto& v : violations)
    ADD_FAILURE() << v;
}
