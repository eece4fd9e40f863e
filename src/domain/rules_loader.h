// Loading the rules data set (data/rules/*): line-oriented TSV files with a header row and `#`
// comments, plus a one-line `version` file. Every file is parsed, then the whole set is
// cross-checked (unknown province, document kind, pre-approval kind, organizer or certificate
// type referenced; duplicates; bad dates and numbers; messages missing a language or using
// different placeholders in zh-CN and en). Any problem is an Error{kRulesInvalid,
// "<file>:<line>: <problem>"}, so a broken data set stops the program at start with a message
// that names the place. Pure: the caller supplies the file contents.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "domain/rules.h"

namespace beian::domain {

// Files by name (e.g. "data/rules/provinces.tsv") and content. Only the base name selects the
// table; every `messages_*.tsv` is a message catalogue; files not ending in .tsv other than
// `version` (README.md, …) are ignored.
core::Result<Rules> LoadRules(const std::vector<std::pair<std::string, std::string_view>>& files);

// LoadRules over the data set compiled into the binary (core::EmbeddedFilesUnder("data/rules/")).
// Also loads the process-wide public suffix list (domain_name.h), so that happens at start.
core::Result<Rules> LoadEmbeddedRules();

// The `{name}` placeholders of a message template, sorted and unique.
std::vector<std::string> TemplatePlaceholders(std::string_view tmpl);

}  // namespace beian::domain
