// PublicFilingsService (see public_filings_service.h).
#include "agent/public_filings_service.h"

#include <deque>
#include <memory>
#include <optional>

#include "agent/public_lookup_index.h"
#include "agent/public_snapshot.h"
#include "domain/public_lookup.h"
#include "store/public_registry.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

json::object ErrorItem(std::string_view query, const Error& error) {
  const core::ErrorDetail& d = error.details.at(0);
  return json::object{
      {"query", query}, {"filed", false}, {"error", {{"code", d.code}, {"message", d.message}}}};
}

json::object Answer(std::string_view query, const domain::NormalizedDomain& key,
                    const std::optional<store::PublicFilingRow>& row) {
  json::object out{{"query", query},
                   {"domain", key.ascii},
                   {"domain_unicode", key.unicode},
                   {"filed", row.has_value()}};
  auto text = [&](const std::string* v) { return v ? json::value(*v) : json::value(nullptr); };
  out["subject_sn"] = text(row ? &row->subject_sn : nullptr);
  out["website_sn"] = text(row ? &row->website_sn : nullptr);
  out["organizer_name"] = text(row ? &row->organizer_name : nullptr);
  out["organizer_type"] = text(row ? &row->organizer_type : nullptr);
  out["website_name"] = text(row ? &row->website_name : nullptr);
  out["approved_at"] = text(row ? &row->approved_at : nullptr);
  return out;
}

}  // namespace

PublicFilingsService::PublicFilingsService(store::Database& db) : db_(db) {
  (void)domain::PublicSuffixView("example.cn");
}

Result<json::object> PublicFilingsService::Lookup(std::string_view domain) const {
  BEIAN_ASSIGN_OR_RETURN(domain::NormalizedDomain key, domain::PublicLookupKey(domain));
  BEIAN_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Tx& tx) {
    return store::PublicRegistryRepo(tx).FindByDomain(key.ascii);
  }));
  return Answer(domain, key, row);
}

Result<json::array> PublicFilingsService::Batch(const std::vector<std::string>& domains) const {
  if (domains.empty()) {
    return Error(ErrorCode::kValidationFailed, "give at least one domain",
                 {{"domains", "required", "give at least one domain"}});
  }
  if (domains.size() > kMaxPublicBatch) {
    const std::string message = "at most 1000 domains per batch";
    return Error(ErrorCode::kPayloadTooLarge, message, {{"domains", "too_many", message}});
  }
  // The keys first (pure), then every read in one transaction.
  std::vector<Result<domain::NormalizedDomain>> keys;
  keys.reserve(domains.size());
  for (const std::string& d : domains) keys.push_back(domain::PublicLookupKey(d));
  return db_.Read([&](store::Tx& tx) -> Result<json::array> {
    store::PublicRegistryRepo repo(tx);
    json::array results;
    results.reserve(domains.size());
    for (size_t i = 0; i < domains.size(); ++i) {
      if (!keys[i]) {
        results.push_back(ErrorItem(domains[i], keys[i].error()));
        continue;
      }
      BEIAN_ASSIGN_OR_RETURN(auto row, repo.FindByDomain(keys[i]->ascii));
      results.push_back(Answer(domains[i], *keys[i], row));
    }
    return results;
  });
}

namespace {

// The key of a look-up: the fast path for plain ASCII names, else the full one (IDNA, errors).
Result<domain::NormalizedDomain> KeyOf(std::string_view domain) {
  if (auto fast = domain::FastLookupKey(domain)) return std::move(*fast);
  return domain::PublicLookupKey(domain);
}

// The full key of a name whose fast key (FastLookupKeyView with a_labels) has no Unicode form
// and is not filed: per suffix when its A-labels are all in the suffix, else the full path.
Result<domain::NormalizedDomain> FullKeyOf(std::string_view domain) {
  char buf[domain::kFastKeyBuffer];
  if (auto fast = domain::FastLookupKeyView(domain, buf, /*a_labels=*/true)) {
    if (auto key = domain::SuffixIdnKey(*fast)) return std::move(*key);
  }
  return domain::PublicLookupKey(domain);
}

}  // namespace

Result<std::string> PublicFilingsService::LookupJson(std::string_view domain) const {
  using Lookup = PublicLookupIndex::Lookup;
  std::string out;
  if (index_ != nullptr) {
    out.reserve(512);
    // A plain name, or a filed IDN asked in punycode: no IDNA processing, no allocation.
    char buf[domain::kFastKeyBuffer];
    if (auto fast = domain::FastLookupKeyView(domain, buf, /*a_labels=*/true)) {
      const std::string_view unicode = fast->a_labels ? std::string_view() : fast->ascii;
      const Lookup r = index_->AppendAnswer(out, domain, {fast->ascii, unicode});
      if (r == Lookup::kAnswered) return out;
      if (r == Lookup::kNeedFullKey) {
        BEIAN_ASSIGN_OR_RETURN(domain::NormalizedDomain key, FullKeyOf(domain));
        if (index_->AppendAnswer(out, domain, key) == Lookup::kAnswered) return out;
        return FromCopy(domain, key);
      }
      if (!fast->a_labels) {
        return FromCopy(domain, {std::string(fast->ascii), std::string(fast->ascii)});
      }
    }
  }
  BEIAN_ASSIGN_OR_RETURN(domain::NormalizedDomain key, KeyOf(domain));
  if (index_ != nullptr && index_->AppendAnswer(out, domain, key) == Lookup::kAnswered) return out;
  return FromCopy(domain, key);
}

Result<std::string> PublicFilingsService::FromCopy(std::string_view query,
                                                   const domain::NormalizedDomain& key) const {
  BEIAN_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Tx& tx) {
    return store::PublicRegistryRepo(tx).FindByDomain(key.ascii);
  }));
  return json::serialize(Answer(query, key, row));
}

namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Whether s[i…] starts a well-formed UTF-8 sequence (what a JSON parser accepts: no overlong
// forms, no surrogates, nothing past U+10FFFF); advances i past it.
bool Utf8Sequence(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return false;
  }
  if (s.size() - i < n || b(1) < lo || b(1) > hi) return false;
  for (size_t k = 2; k < n; ++k) {
    if (b(k) < 0x80 || b(k) > 0xBF) return false;
  }
  i += n;
  return true;
}

}  // namespace

bool ParsePlainBatchBody(std::string_view body, std::vector<std::string_view>& names) {
  names.clear();
  size_t i = 0;
  const auto skip = [&] {
    while (i < body.size() && IsJsonSpace(body[i])) ++i;
  };
  const auto take = [&](std::string_view token) {
    skip();
    if (body.substr(i, token.size()) != token) return false;
    i += token.size();
    return true;
  };
  if (!take("{") || !take("\"domains\"") || !take(":") || !take("[")) return false;
  for (;;) {
    if (!take("\"")) return false;
    const size_t start = i;
    while (i < body.size() && body[i] != '"') {
      const auto c = static_cast<unsigned char>(body[i]);
      if (c == '\\' || c < 0x20) return false;  // an escape or a control character
      if (c < 0x80) {
        ++i;
      } else if (!Utf8Sequence(body, i)) {
        return false;
      }
    }
    if (i == body.size()) return false;
    names.push_back(body.substr(start, i - start));
    ++i;
    if (names.size() > kMaxPublicBatch) return false;  // 413 from the JSON path
    skip();
    if (i < body.size() && body[i] == ',') {
      ++i;
      continue;
    }
    break;
  }
  if (!take("]") || !take("}")) return false;
  skip();
  return i == body.size();
}

Result<std::string> PublicFilingsService::BatchJson(const std::vector<std::string>& domains) const {
  std::vector<std::string_view> views(domains.begin(), domains.end());
  return BatchJson(std::span<const std::string_view>(views));
}

Result<std::string> PublicFilingsService::BatchJson(
    std::span<const std::string_view> domains) const {
  using Lookup = PublicLookupIndex::Lookup;
  if (index_ != nullptr && !domains.empty() && domains.size() <= kMaxPublicBatch) {
    // The keys, as views into one buffer (a key is at most as long as its name): no allocation
    // per domain for plain names and filed IDNs asked in punycode.
    size_t room = 0;
    for (std::string_view d : domains) room += std::min(d.size(), domain::kFastKeyBuffer);
    std::unique_ptr<char[]> buf(new char[room]);
    std::vector<PublicLookupIndex::BatchItem> items(domains.size());
    std::deque<domain::NormalizedDomain> keys;  // the full keys (stable addresses)
    std::deque<std::string> errors;             // the answers of names that are not domains
    size_t used = 0;
    for (size_t i = 0; i < domains.size(); ++i) {
      const std::string_view d = domains[i];
      PublicLookupIndex::BatchItem& item = items[i];
      item.query = d;
      if (auto fast = domain::FastLookupKeyView(d, buf.get() + used, /*a_labels=*/true)) {
        used += std::min(d.size(), domain::kFastKeyBuffer);
        item.key = {fast->ascii, fast->a_labels ? std::string_view() : fast->ascii};
        continue;
      }
      auto key = KeyOf(d);
      if (!key) {
        errors.push_back(json::serialize(ErrorItem(d, key.error())));
        item.answer = errors.back();
        continue;
      }
      keys.push_back(std::move(*key));
      item.key = {keys.back().ascii, keys.back().unicode};
    }
    std::string out;
    out.reserve(domains.size() * 360 + 16);
    out += "{\"results\":[";
    const Lookup r = index_->AppendBatch(
        out, items, [&](std::string& o, size_t i) -> const domain::NormalizedDomain* {
          auto key = FullKeyOf(domains[i]);
          if (!key) {
            o += json::serialize(ErrorItem(domains[i], key.error()));
            return nullptr;
          }
          keys.push_back(std::move(*key));
          return &keys.back();
        });
    if (r == Lookup::kAnswered) {
      out += "]}";
      return out;
    }
  }
  // No index, or it stopped serving: every answer from the copy.
  std::vector<std::string> copies(domains.begin(), domains.end());
  BEIAN_ASSIGN_OR_RETURN(json::array results, Batch(copies));
  return json::serialize(json::object{{"results", std::move(results)}});
}

}  // namespace beian::agent
