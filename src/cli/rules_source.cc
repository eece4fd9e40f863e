// Reading the rules files from disk or from the binary (see rules_source.h).
#include "cli/rules_source.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/rules_loader.h"

namespace beian::cli {

core::Result<domain::Rules> LoadRulesFrom(const std::string& dir) {
  if (dir.empty()) return domain::LoadEmbeddedRules();
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return core::Error(core::ErrorCode::kRulesInvalid, dir + ": not a directory of rules files");
  }
  std::vector<std::string> contents;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
      return core::Error(core::ErrorCode::kIo, entry.path().string() + ": cannot be read");
    }
    names.push_back(entry.path().string());
    contents.push_back(text.str());
  }
  if (ec) return core::Error(core::ErrorCode::kIo, dir + ": " + ec.message());
  std::vector<std::pair<std::string, std::string_view>> files;
  for (size_t i = 0; i < names.size(); ++i) files.emplace_back(names[i], contents[i]);
  return domain::LoadRules(files);
}

}  // namespace beian::cli
