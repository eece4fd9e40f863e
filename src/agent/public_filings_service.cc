// PublicFilingsService (see public_filings_service.h).
#include "agent/public_filings_service.h"

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

}  // namespace

Result<std::string> PublicFilingsService::LookupJson(std::string_view domain) const {
  using Lookup = PublicLookupIndex::Lookup;
  std::string out;
  if (index_ != nullptr) {
    out.reserve(512);
    // A plain name, or a filed IDN asked in punycode: no IDNA processing.
    if (auto fast = domain::FastLookupKey(domain, /*a_labels=*/true)) {
      const Lookup r = index_->AppendAnswer(out, domain, *fast);
      if (r == Lookup::kAnswered) return out;
      if (r == Lookup::kNotServing && !fast->unicode.empty()) return FromCopy(domain, *fast);
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

Result<std::string> PublicFilingsService::BatchJson(const std::vector<std::string>& domains) const {
  using Lookup = PublicLookupIndex::Lookup;
  if (index_ != nullptr && !domains.empty() && domains.size() <= kMaxPublicBatch) {
    std::string out;
    out.reserve(domains.size() * 360 + 16);
    out += "{\"results\":[";
    bool served = true;
    for (size_t i = 0; i < domains.size() && served; ++i) {
      if (i > 0) out += ',';
      if (auto fast = domain::FastLookupKey(domains[i], /*a_labels=*/true)) {
        const Lookup r = index_->AppendAnswer(out, domains[i], *fast);
        if (r == Lookup::kAnswered) continue;
        if (r == Lookup::kNotServing) {
          served = false;
          continue;
        }
      }
      auto key = KeyOf(domains[i]);
      if (!key) {
        out += json::serialize(ErrorItem(domains[i], key.error()));
        continue;
      }
      served = index_->AppendAnswer(out, domains[i], *key) == Lookup::kAnswered;
    }
    if (served) {
      out += "]}";
      return out;
    }
  }
  // No index, or it stopped serving: every answer from the copy.
  BEIAN_ASSIGN_OR_RETURN(json::array results, Batch(domains));
  return json::serialize(json::object{{"results", std::move(results)}});
}

}  // namespace beian::agent
