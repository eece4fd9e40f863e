// The pure parts of the review (see review_logic.h).
#include "agent/review_logic.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <set>

#include "core/crypto.h"
#include "core/embedded.h"
#include "domain/catalogue_tsv.h"
#include "domain/validators_util.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;
using domain::text::Split;

constexpr size_t kMaxField = 200;
constexpr size_t kMaxMessage = 1000;

constexpr std::string_view kFile = "data/review/reasons.tsv";

Error Invalid(size_t line, const std::string& what) {
  return domain::CatalogueError(kFile, line, what);
}

void Flatten(const json::value& v, const std::string& path,
             std::map<std::string, json::value>& out) {
  if (const json::object* o = v.if_object(); o && !o->empty()) {
    for (const auto& [key, member] : *o) {
      Flatten(member, path.empty() ? std::string(key) : path + "." + std::string(key), out);
    }
  } else if (const json::array* a = v.if_array(); a && !a->empty()) {
    for (size_t i = 0; i < a->size(); ++i) {
      Flatten((*a)[i], path + "[" + std::to_string(i) + "]", out);
    }
  } else {
    out[path] = v;
  }
}

std::vector<std::string> Hashes(const DocumentSnapshot& s, std::string_view key) {
  std::vector<std::string> out;
  auto it = s.find(std::string(key));
  if (it == s.end()) return out;
  for (const DocumentFile& f : it->second) out.push_back(f.sha256);
  std::sort(out.begin(), out.end());
  return out;
}

// The verified photos of any subject.
std::vector<std::string> PhotoHashes(const DocumentSnapshot& s) {
  std::vector<std::string> out;
  for (const auto& [key, files] : s) {
    if (!key.starts_with("verified_photo:")) continue;
    for (const DocumentFile& f : files) out.push_back(f.sha256);
  }
  std::sort(out.begin(), out.end());
  return out;
}

json::value Names(const DocumentSnapshot& s, const std::string& key) {
  auto it = s.find(key);
  if (it == s.end() || it->second.empty()) return nullptr;
  std::string out;
  for (const DocumentFile& f : it->second) {
    if (!out.empty()) out += ", ";
    out += f.name.empty() ? f.sha256.substr(0, 12) : f.name;
  }
  return json::value(out);
}

void AppendField(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
  out += '\n';
}

}  // namespace

std::string_view StageName(ReviewStage stage) {
  return stage == ReviewStage::kPreliminary ? "preliminary" : "photo";
}

Result<ReasonCatalogue> ReasonCatalogue::Parse(std::string_view tsv) {
  static constexpr std::array<std::string_view, 5> kHeader = {"code", "stages", "note_required",
                                                              "zh-CN", "en"};
  BEIAN_ASSIGN_OR_RETURN(std::vector<domain::CatalogueRow> rows,
                         domain::ReadCatalogueTsv(tsv, kFile, kHeader));
  ReasonCatalogue out;
  std::set<std::string, std::less<>> seen;
  for (const domain::CatalogueRow& row : rows) {
    const auto& cols = row.cols;
    ReasonEntry e;
    e.code = std::string(cols[0]);
    if (!domain::IsCatalogueCode(e.code))
      return Invalid(row.line, "a code is lower-case snake_case");
    if (!seen.insert(e.code).second) return Invalid(row.line, "code " + e.code + " repeated");
    for (std::string_view stage : Split(cols[1], ',')) {
      if (stage == "preliminary") {
        e.stages.push_back(ReviewStage::kPreliminary);
      } else if (stage == "photo") {
        e.stages.push_back(ReviewStage::kPhoto);
      } else {
        return Invalid(row.line, "unknown stage '" + std::string(stage) + "'");
      }
    }
    if (cols[2] != "yes" && cols[2] != "no") {
      return Invalid(row.line, "note_required is yes or no");
    }
    e.note_required = cols[2] == "yes";
    e.zh_cn = std::string(cols[3]);
    e.en = std::string(cols[4]);
    if (e.zh_cn.empty() || e.en.empty()) return Invalid(row.line, "zh-CN and en text required");
    out.entries_.push_back(std::move(e));
  }
  for (std::string_view code : kRequiredReasonCodes) {
    if (!seen.contains(code)) {
      return Error(ErrorCode::kRulesInvalid,
                   std::string(kFile) + " lacks the required code " + std::string(code));
    }
  }
  return out;
}

Result<ReasonCatalogue> ReasonCatalogue::BuiltIn() {
  auto text = core::EmbeddedFile(kFile);
  if (!text)
    return Error(ErrorCode::kRulesInvalid, std::string(kFile) + " is not built into the binary");
  return Parse(*text);
}

const ReasonEntry* ReasonCatalogue::Find(std::string_view code) const {
  for (const ReasonEntry& e : entries_) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

json::object ReasonCatalogue::ToJson() const {
  json::array items;
  for (const ReasonEntry& e : entries_) {
    json::array stages;
    for (ReviewStage s : e.stages) stages.push_back(json::string(StageName(s)));
    items.push_back(json::object{{"code", e.code},
                                 {"zh_CN", e.zh_cn},
                                 {"en", e.en},
                                 {"note_required", e.note_required},
                                 {"stages", std::move(stages)}});
  }
  return json::object{{"items", std::move(items)}};
}

core::Status ValidateReasons(const ReasonCatalogue& catalogue, ReviewStage stage, bool rejecting,
                             const std::vector<Reason>& reasons) {
  std::vector<core::ErrorDetail> invalid;
  std::vector<core::ErrorDetail> unknown;
  if (rejecting && reasons.empty()) {
    invalid.push_back({"reasons", "required", "a rejection needs at least one reason"});
  }
  for (size_t i = 0; i < reasons.size(); ++i) {
    const Reason& r = reasons[i];
    const std::string at = "reasons[" + std::to_string(i) + "]";
    if (r.field.empty() || r.field.size() > kMaxField) {
      invalid.push_back({at + ".field", r.field.empty() ? "required" : "too_long",
                         "each reason names the field it is about (at most 200 bytes)"});
    }
    if (r.message.size() > kMaxMessage) {
      invalid.push_back({at + ".message", "too_long", "a note is at most 1000 bytes"});
    }
    const ReasonEntry* e = catalogue.Find(r.code);
    const bool for_stage =
        e && std::find(e->stages.begin(), e->stages.end(), stage) != e->stages.end();
    if (!for_stage) {
      unknown.push_back(
          {at + ".code", "unknown_reason",
           "'" + r.code + "' is not a reason of the " + std::string(StageName(stage)) + " review"});
      continue;
    }
    if (e->note_required && r.message.find_first_not_of(" \t\r\n") == std::string::npos) {
      invalid.push_back({at + ".message", "note_required",
                         "the reason '" + r.code + "' needs a note saying what is wrong"});
    }
  }
  if (!unknown.empty()) {
    std::string message = unknown.front().message;
    return Error(ErrorCode::kUnknownReason, std::move(message), std::move(unknown));
  }
  if (!invalid.empty()) {
    std::string message = invalid.front().message;
    return Error(ErrorCode::kValidationFailed, std::move(message), std::move(invalid));
  }
  return core::Ok();
}

const json::value* ValueAtPath(const json::value& root, std::string_view path) {
  const json::value* cur = &root;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      const size_t close = path.find(']', i);
      if (close == std::string_view::npos) return nullptr;
      size_t index = 0;
      if (close == i + 1) return nullptr;
      for (size_t k = i + 1; k < close; ++k) {
        if (path[k] < '0' || path[k] > '9') return nullptr;
        index = index * 10 + static_cast<size_t>(path[k] - '0');
        if (index > 100000) return nullptr;
      }
      const json::array* a = cur->if_array();
      if (!a || index >= a->size()) return nullptr;
      cur = &(*a)[index];
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
      continue;
    }
    size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view key = path.substr(i, end - i);
    const json::object* o = cur->if_object();
    if (!o || key.empty()) return nullptr;
    cur = o->if_contains(key);
    if (!cur) return nullptr;
    i = end;
    if (i < path.size() && path[i] == '.') ++i;
  }
  return cur;
}

bool ReasonFieldKnown(std::string_view field, const json::value& app) {
  if (field == "photo") return true;
  if (field.starts_with("documents.")) {
    const std::string_view group = field.substr(std::string_view("documents.").size());
    const size_t colon = group.find(':');
    return colon != std::string_view::npos && colon > 0 && colon + 1 < group.size();
  }
  return ValueAtPath(app, field) != nullptr;
}

core::Status CheckReasonFields(const std::vector<Reason>& reasons, const json::value& app) {
  std::vector<core::ErrorDetail> problems;
  for (size_t i = 0; i < reasons.size(); ++i) {
    if (ReasonFieldKnown(reasons[i].field, app)) continue;
    problems.push_back({"reasons[" + std::to_string(i) + "].field", "unknown_field_path",
                        "'" + reasons[i].field +
                            "' is not a field of this application (a path such as "
                            "websites[0].name, documents.<kind>:<subject>, or photo)"});
  }
  if (problems.empty()) return core::Ok();
  std::string message = problems.front().message;
  return Error(ErrorCode::kValidationFailed, std::move(message), std::move(problems));
}

std::map<std::string, json::value> FlattenJson(const json::value& v) {
  std::map<std::string, json::value> out;
  Flatten(v, "", out);
  return out;
}

json::object DocumentSnapshotToJson(const DocumentSnapshot& s) {
  json::object out;
  for (const auto& [key, files] : s) {
    json::array a;
    for (const DocumentFile& f : files) {
      a.push_back(json::object{{"sha256", f.sha256}, {"name", f.name}});
    }
    out[key] = std::move(a);
  }
  return out;
}

DocumentSnapshot DocumentSnapshotFromJson(std::string_view text) {
  DocumentSnapshot out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [key, files] : v.get_object()) {
    std::vector<DocumentFile>& list = out[std::string(key)];
    if (!files.is_array()) continue;
    for (const json::value& f : files.get_array()) {
      const json::object* o = f.if_object();
      if (!o) continue;
      DocumentFile file;
      if (auto* h = o->if_contains("sha256"); h && h->is_string()) file.sha256 = h->get_string();
      if (auto* n = o->if_contains("name"); n && n->is_string()) file.name = n->get_string();
      list.push_back(std::move(file));
    }
  }
  return out;
}

bool FieldChanged(std::string_view field, const ReviewSubject& then, const ReviewSubject& now) {
  if (field == "photo") return PhotoHashes(then.documents) != PhotoHashes(now.documents);
  if (field.starts_with("documents.")) {
    const std::string_view key = field.substr(std::string_view("documents.").size());
    return Hashes(then.documents, key) != Hashes(now.documents, key);
  }
  const json::value* before = ValueAtPath(then.application, field);
  const json::value* after = ValueAtPath(now.application, field);
  if (!before || !after) return (before == nullptr) != (after == nullptr);
  return *before != *after;
}

std::vector<FieldChange> Changes(const ReviewSubject& then, const ReviewSubject& now) {
  std::vector<FieldChange> out;
  const auto before = FlattenJson(then.application);
  const auto after = FlattenJson(now.application);
  std::set<std::string> paths;
  for (const auto& [path, v] : before) paths.insert(path);
  for (const auto& [path, v] : after) paths.insert(path);
  for (const std::string& path : paths) {
    auto b = before.find(path);
    auto a = after.find(path);
    json::value bv = b == before.end() ? json::value(nullptr) : b->second;
    json::value av = a == after.end() ? json::value(nullptr) : a->second;
    if (bv == av) continue;
    out.push_back({path, std::move(bv), std::move(av)});
  }
  std::set<std::string> keys;
  for (const auto& [key, files] : then.documents) keys.insert(key);
  for (const auto& [key, files] : now.documents) keys.insert(key);
  for (const std::string& key : keys) {
    if (Hashes(then.documents, key) == Hashes(now.documents, key)) continue;
    out.push_back({"documents." + key, Names(then.documents, key), Names(now.documents, key)});
  }
  return out;
}

std::string AuditHash(std::string_view prev_hash, int64_t seq, int64_t at_ms,
                      std::string_view actor_id, std::string_view action,
                      std::string_view application_id, std::string_view detail) {
  std::string content;
  AppendField(content, prev_hash);
  AppendField(content, std::to_string(seq));
  AppendField(content, std::to_string(at_ms));
  AppendField(content, actor_id);
  AppendField(content, action);
  AppendField(content, application_id);
  AppendField(content, detail);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(content.data()),
                     content.size());
  return core::HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace beian::agent
