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

Result<std::string> PublicFilingsService::LookupJson(std::string_view domain) const {
  BEIAN_ASSIGN_OR_RETURN(domain::NormalizedDomain key, domain::PublicLookupKey(domain));
  std::string out;
  if (index_ != nullptr) {
    out.reserve(512);
    if (index_->AppendAnswer(out, domain, key)) return out;
  }
  BEIAN_ASSIGN_OR_RETURN(auto row, db_.Read([&](store::Tx& tx) {
    return store::PublicRegistryRepo(tx).FindByDomain(key.ascii);
  }));
  return json::serialize(Answer(domain, key, row));
}

Result<std::string> PublicFilingsService::BatchJson(const std::vector<std::string>& domains) const {
  if (index_ != nullptr && !domains.empty() && domains.size() <= kMaxPublicBatch) {
    std::string out;
    out.reserve(domains.size() * 320 + 16);
    out += "{\"results\":[";
    bool served = true;
    for (size_t i = 0; i < domains.size() && served; ++i) {
      if (i > 0) out += ',';
      auto key = domain::PublicLookupKey(domains[i]);
      if (!key) {
        out += json::serialize(ErrorItem(domains[i], key.error()));
        continue;
      }
      served = index_->AppendAnswer(out, domains[i], *key);
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
