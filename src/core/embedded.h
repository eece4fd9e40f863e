// Files of the source tree compiled into the binary (migrations/, data/rules/), so that the
// program never reads the repository at run time. Paths are relative to the repository root,
// e.g. "migrations/sqlite/0001_accounts.sql". Immutable, safe from any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace beian::core {

struct EmbeddedFileEntry {
  std::string_view path;
  std::string_view data;
};

// Every embedded file, in no particular order.
std::span<const EmbeddedFileEntry> EmbeddedFiles();

// The file at `path`, or nullopt.
std::optional<std::string_view> EmbeddedFile(std::string_view path);

// Entries whose path starts with `prefix` (e.g. "migrations/postgres/"), sorted by path.
std::vector<EmbeddedFileEntry> EmbeddedFilesUnder(std::string_view prefix);

}  // namespace beian::core
