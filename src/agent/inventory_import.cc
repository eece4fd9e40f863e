// Import file readers (see inventory_import.h).
#include "agent/inventory_import.h"

#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <set>

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view StripBom(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  return text;
}

// ---- JSON ------------------------------------------------------------------------------------

// The line on which each element of the top-level arrays starts: {"instances": [l1, l2, …]}.
// A small scanner over text that Boost.JSON has already accepted.
std::map<std::string, std::vector<int>> ElementLines(std::string_view text) {
  std::map<std::string, std::vector<int>> out;
  int line = 1;
  int depth = 0;
  bool expect_element = false;  // at depth 2, after '[' or ','
  std::string last_key;
  std::string current;  // the key whose array we are in (depth 2)
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (depth == 2 && expect_element && c != ']') {
      out[current].push_back(line);
      expect_element = false;
    }
    if (c == '"') {
      size_t j = i + 1;
      std::string s;
      while (j < text.size() && text[j] != '"') {
        if (text[j] == '\\') ++j;
        if (j < text.size()) s += text[j];
        ++j;
      }
      if (depth == 1) last_key = s;
      i = j;
    } else if (c == '{' || c == '[') {
      if (depth == 1 && c == '[') {
        current = last_key;
        expect_element = true;
      }
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 2) {
      expect_element = true;
    }
  }
  return out;
}

// A strict reader of one row object: problems are collected as text.
class RowReader {
 public:
  explicit RowReader(const json::object& o) : o_(o) {}

  std::string String(std::string_view key, bool required) {
    seen_.insert(std::string(key));
    const json::value* v = o_.if_contains(key);
    if (!v || v->is_null()) {
      if (required) Problem(key, "is required");
      return "";
    }
    if (!v->is_string()) {
      Problem(key, "must be a string");
      return "";
    }
    return std::string(v->get_string());
  }
  std::optional<std::string> OptionalString(std::string_view key) {
    seen_.insert(std::string(key));
    const json::value* v = o_.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) {
      Problem(key, "must be a string or null");
      return std::nullopt;
    }
    return std::string(v->get_string());
  }
  bool Bool(std::string_view key) {
    seen_.insert(std::string(key));
    const json::value* v = o_.if_contains(key);
    if (!v || v->is_null()) {
      Problem(key, "is required");
      return false;
    }
    if (!v->is_bool()) {
      Problem(key, "must be true or false");
      return false;
    }
    return v->get_bool();
  }
  std::optional<int64_t> Int(std::string_view key, bool required) {
    seen_.insert(std::string(key));
    const json::value* v = o_.if_contains(key);
    if (!v || v->is_null()) {
      if (required) Problem(key, "is required");
      return std::nullopt;
    }
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= INT64_MAX)
      return static_cast<int64_t>(v->get_uint64());
    Problem(key, "must be an integer");
    return std::nullopt;
  }
  // Unknown members, then the problems, as one reason ("" when none).
  std::string Finish() {
    for (const auto& kv : o_) {
      if (!seen_.contains(std::string(kv.key()))) Problem(kv.key(), "is not a known field");
    }
    return reason_;
  }

 private:
  void Problem(std::string_view key, std::string_view what) {
    if (!reason_.empty()) reason_ += "; ";
    reason_ += std::string(key) + " " + std::string(what);
  }
  const json::object& o_;
  std::set<std::string> seen_;
  std::string reason_;
};

InstanceInput ReadInstance(RowReader& r) {
  InstanceInput in;
  in.owner_email = r.String("owner_email", true);
  in.id = r.String("id", true);
  in.product = r.String("product", true);
  in.region = r.String("region", true);
  in.mainland = r.Bool("mainland");
  in.public_ip = r.OptionalString("public_ip");
  in.billing = r.String("billing", true);
  in.expires_at = r.OptionalString("expires_at");
  in.service_codes_total = r.Int("service_codes_total", true).value_or(0);
  in.service_codes_used = r.Int("service_codes_used", false);
  return in;
}

DomainInput ReadDomain(RowReader& r) {
  DomainInput in;
  in.owner_email = r.String("owner_email", true);
  in.name = r.String("name", true);
  in.holder_name = r.String("holder_name", true);
  in.real_name_verified = r.Bool("real_name_verified");
  in.registrar = r.String("registrar", false);
  in.expires_at = r.OptionalString("expires_at");
  return in;
}

Result<ParsedImport> ParseJson(std::string_view text) {
  std::error_code ec;
  json::value top = json::parse(text, ec);
  if (ec) return Error(ErrorCode::kInvalidJson, "the file is not valid JSON: " + ec.message());
  if (!top.is_object()) {
    return Error(ErrorCode::kInvalidJson, "the file must hold one object {instances, domains}");
  }
  for (const auto& kv : top.get_object()) {
    if (kv.key() != "instances" && kv.key() != "domains") {
      return Error(ErrorCode::kUnknownField,
                   "unknown member \"" + std::string(kv.key()) + "\" (instances, domains)");
    }
    if (!kv.value().is_array()) {
      return Error(ErrorCode::kValidationFailed,
                   "\"" + std::string(kv.key()) + "\" must be an array");
    }
  }
  auto lines = ElementLines(text);
  ParsedImport out;
  for (std::string_view kind : {"instances", "domains"}) {
    const json::value* arr = top.get_object().if_contains(kind);
    if (!arr) continue;
    const std::vector<int>& at = lines[std::string(kind)];
    const json::array& items = arr->get_array();
    for (size_t i = 0; i < items.size(); ++i) {
      const int line = i < at.size() ? at[i] : 0;
      std::string location = std::string(kind) + "[" + std::to_string(i) + "]";
      if (!items[i].is_object()) {
        out.rejected.push_back({line, location, "each item must be an object"});
        continue;
      }
      RowReader r(items[i].get_object());
      ImportRow row{.line = line, .location = location, .input = InstanceInput{}};
      if (kind == "instances") {
        row.input = ReadInstance(r);
      } else {
        row.input = ReadDomain(r);
      }
      std::string reason = r.Finish();
      if (!reason.empty()) {
        out.rejected.push_back({line, location, reason});
      } else {
        out.rows.push_back(std::move(row));
      }
    }
  }
  return out;
}

// ---- CSV -------------------------------------------------------------------------------------

struct CsvRecord {
  int line = 0;
  std::vector<std::string> cells;
};

// RFC 4180: quoted cells may hold commas, doubled quotes and line breaks. A record starts on
// `line`. Blank lines are skipped.
Result<std::vector<CsvRecord>> ReadCsv(std::string_view text) {
  std::vector<CsvRecord> out;
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    CsvRecord rec{.line = line, .cells = {}};
    std::string cell;
    bool record_done = false;
    while (!record_done) {
      if (i < text.size() && text[i] == '"') {
        const int quote_line = line;
        ++i;
        for (;;) {
          if (i >= text.size()) {
            return Error(ErrorCode::kValidationFailed,
                         "line " + std::to_string(quote_line) + ": a quoted cell is not closed");
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          cell += text[i++];
        }
      }
      while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        cell += text[i++];
      }
      rec.cells.push_back(std::move(cell));
      cell.clear();
      if (i >= text.size()) {
        record_done = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        if (text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        record_done = true;
      }
    }
    const bool blank = rec.cells.size() == 1 && rec.cells[0].empty();
    if (!blank) out.push_back(std::move(rec));
  }
  return out;
}

std::optional<bool> CsvBool(std::string_view v) {
  const std::string s = Lower(v);
  if (s == "true" || s == "1" || s == "yes") return true;
  if (s == "false" || s == "0" || s == "no") return false;
  return std::nullopt;
}

std::optional<int64_t> CsvInt(std::string_view v) {
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size() || v.empty()) return std::nullopt;
  return out;
}

Result<ParsedImport> ParseCsv(std::string_view text) {
  BEIAN_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ReadCsv(text));
  if (records.empty()) return Error(ErrorCode::kValidationFailed, "the file has no header row");
  static const std::vector<std::string> kInstanceRequired = {
      "owner_email", "id", "product", "region", "mainland", "billing", "service_codes_total"};
  static const std::vector<std::string> kInstanceOptional = {"public_ip", "expires_at",
                                                             "service_codes_used"};
  static const std::vector<std::string> kDomainRequired = {"owner_email", "name", "holder_name",
                                                           "real_name_verified"};
  static const std::vector<std::string> kDomainOptional = {"registrar", "expires_at"};

  std::map<std::string, size_t> column;
  for (size_t c = 0; c < records[0].cells.size(); ++c) {
    const std::string name = Lower(records[0].cells[c]);
    if (!column.emplace(name, c).second) {
      return Error(ErrorCode::kValidationFailed, "column \"" + name + "\" appears twice");
    }
  }
  const bool instances = column.contains("id");
  const auto& required = instances ? kInstanceRequired : kDomainRequired;
  const auto& optional = instances ? kInstanceOptional : kDomainOptional;
  for (const auto& name : required) {
    if (!column.contains(name)) {
      return Error(ErrorCode::kValidationFailed,
                   "the header lacks the column \"" + name + "\" (" +
                       (instances ? "an instances file" : "a domains file") + ")");
    }
  }
  for (const auto& [name, _] : column) {
    if (std::find(required.begin(), required.end(), name) == required.end() &&
        std::find(optional.begin(), optional.end(), name) == optional.end()) {
      return Error(ErrorCode::kUnknownField, "unknown column \"" + name + "\"");
    }
  }

  ParsedImport out;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (rec.cells.size() != records[0].cells.size()) {
      out.rejected.push_back({rec.line, "",
                              "has " + std::to_string(rec.cells.size()) +
                                  " cells; the header has " +
                                  std::to_string(records[0].cells.size())});
      continue;
    }
    std::string reason;
    auto problem = [&](std::string_view name, std::string_view what) {
      if (!reason.empty()) reason += "; ";
      reason += std::string(name) + " " + std::string(what);
    };
    auto cell = [&](const std::string& name) -> std::string {
      auto it = column.find(name);
      return it == column.end() ? std::string() : rec.cells[it->second];
    };
    auto opt = [&](const std::string& name) -> std::optional<std::string> {
      std::string v = cell(name);
      if (v.empty()) return std::nullopt;
      return v;
    };
    auto boolean = [&](const std::string& name) {
      auto b = CsvBool(cell(name));
      if (!b) problem(name, "must be true or false");
      return b.value_or(false);
    };
    ImportRow row{.line = rec.line, .location = "", .input = InstanceInput{}};
    if (instances) {
      InstanceInput in;
      in.owner_email = cell("owner_email");
      in.id = cell("id");
      in.product = cell("product");
      in.region = cell("region");
      in.mainland = boolean("mainland");
      in.public_ip = opt("public_ip");
      in.billing = cell("billing");
      in.expires_at = opt("expires_at");
      auto total = CsvInt(cell("service_codes_total"));
      if (!total) problem("service_codes_total", "must be an integer");
      in.service_codes_total = total.value_or(0);
      if (auto used = opt("service_codes_used")) {
        in.service_codes_used = CsvInt(*used);
        if (!in.service_codes_used) problem("service_codes_used", "must be an integer");
      }
      row.input = std::move(in);
    } else {
      DomainInput in;
      in.owner_email = cell("owner_email");
      in.name = cell("name");
      in.holder_name = cell("holder_name");
      in.real_name_verified = boolean("real_name_verified");
      in.registrar = cell("registrar");
      in.expires_at = opt("expires_at");
      row.input = std::move(in);
    }
    if (!reason.empty()) {
      out.rejected.push_back({rec.line, "", reason});
    } else {
      out.rows.push_back(std::move(row));
    }
  }
  return out;
}

}  // namespace

ImportFormat GuessImportFormat(std::string_view file_name, std::string_view text) {
  const std::string name = Lower(file_name);
  if (EndsWith(name, ".json")) return ImportFormat::kJson;
  if (EndsWith(name, ".csv")) return ImportFormat::kCsv;
  text = StripBom(text);
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' ? ImportFormat::kJson : ImportFormat::kCsv;
  }
  return ImportFormat::kCsv;
}

Result<ParsedImport> ParseInventoryFile(std::string_view text, ImportFormat format) {
  text = StripBom(text);
  return format == ImportFormat::kJson ? ParseJson(text) : ParseCsv(text);
}

}  // namespace beian::agent
