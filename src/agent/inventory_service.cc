// Inventory validation, the view for the filing checks, and the import (see inventory_service.h).
#include "agent/inventory_service.h"

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "core/roles.h"
#include "domain/calendar.h"
#include "domain/domain_name.h"
#include "domain/registry_view.h"
#include "domain/validators_util.h"
#include "store/users.h"

namespace beian::agent {
namespace {

using core::Error;
using core::ErrorCode;
using core::ErrorDetail;
using core::Result;

constexpr size_t kMaxText = 200;

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':';
}

// Text a person typed into a name field: non-empty after trimming, bounded, no control bytes.
void CheckText(std::vector<ErrorDetail>& out, std::string_view field, const std::string& value,
               bool required) {
  if (value.empty()) {
    if (required)
      out.push_back({std::string(field), "required", std::string(field) + " is required"});
    return;
  }
  if (value.size() > kMaxText) {
    out.push_back({std::string(field), "too_long",
                   std::string(field) + " is longer than " + std::to_string(kMaxText) + " bytes"});
    return;
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      out.push_back(
          {std::string(field), "invalid", std::string(field) + " has control characters"});
      return;
    }
  }
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// A date as YYYY-MM-DD, or a problem.
std::optional<std::string> NormalizeDate(std::vector<ErrorDetail>& out,
                                         const std::optional<std::string>& in) {
  if (!in || in->empty()) return std::nullopt;
  auto d = domain::ParseDate(*in);
  if (!d) {
    out.push_back({"expires_at", "invalid", "expires_at is not a date (YYYY-MM-DD)"});
    return std::nullopt;
  }
  return domain::FormatDate(*d);
}

// The canonical text of an IPv4 or IPv6 address, or nullopt.
std::optional<std::string> CanonicalIp(const std::string& text) {
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) {
    return std::string(inet_ntop(AF_INET, buf, out, sizeof out));
  }
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) {
    return std::string(inet_ntop(AF_INET6, buf, out, sizeof out));
  }
  return std::nullopt;
}

std::optional<domain::Date> DateOf(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return domain::ParseDate(*text);
}

std::string Describe(const std::vector<ErrorDetail>& details) {
  std::string out;
  for (const auto& d : details) {
    if (!out.empty()) out += "; ";
    out += d.field + ": " + d.message + " (" + d.code + ")";
  }
  return out;
}

Error ValidationError(std::vector<ErrorDetail> details) {
  std::string message = details.empty() ? "invalid inventory item" : details.front().message;
  return Error(ErrorCode::kValidationFailed, std::move(message), std::move(details));
}

// The owner's id, or a problem on "owner_email".
Result<std::optional<std::string>> ResolveOwner(store::Tx& tx, const std::string& email,
                                                std::vector<ErrorDetail>& out) {
  if (email.empty()) {
    out.push_back({"owner_email", "required", "owner_email is required"});
    return std::optional<std::string>();
  }
  BEIAN_ASSIGN_OR_RETURN(auto user, store::UserRepo(tx).FindByEmail(email));
  if (!user) {
    out.push_back({"owner_email", "unknown_account", "no account has the e-mail " + email});
    return std::optional<std::string>();
  }
  if (user->role != core::kRoleApplicant) {
    out.push_back({"owner_email", "not_an_applicant",
                   "inventory belongs to applicant accounts; " + email + " is a " + user->role});
    return std::optional<std::string>();
  }
  return std::optional<std::string>(user->id);
}

}  // namespace

std::vector<ErrorDetail> NormalizeInstance(const InstanceInput& in, store::InstanceRow& row) {
  std::vector<ErrorDetail> out;
  row.id = Trim(in.id);
  if (row.id.empty()) {
    out.push_back({"id", "required", "id is required"});
  } else if (row.id.size() > 64) {
    out.push_back({"id", "too_long", "id is longer than 64 characters"});
  } else {
    for (char c : row.id) {
      if (!IsIdChar(c)) {
        out.push_back({"id", "invalid", "id may hold letters, digits and - _ . : only"});
        break;
      }
    }
  }
  row.product = Trim(in.product);
  CheckText(out, "product", row.product, true);
  row.region = Trim(in.region);
  CheckText(out, "region", row.region, true);
  row.mainland = in.mainland;
  row.public_ip.reset();
  if (in.public_ip && !Trim(*in.public_ip).empty()) {
    row.public_ip = CanonicalIp(Trim(*in.public_ip));
    if (!row.public_ip) {
      out.push_back({"public_ip", "invalid", "public_ip is not an IPv4 or IPv6 address"});
    }
  }
  row.billing = Trim(in.billing);
  if (row.billing != "subscription" && row.billing != "pay_as_you_go") {
    out.push_back({"billing", row.billing.empty() ? "required" : "invalid",
                   "billing must be subscription or pay_as_you_go"});
  }
  row.expires_at = NormalizeDate(out, in.expires_at);
  row.service_codes_total = in.service_codes_total;
  if (in.service_codes_total < 0 || in.service_codes_total > 1000) {
    out.push_back(
        {"service_codes_total", "invalid", "service_codes_total must be between 0 and 1000"});
  }
  row.service_codes_used = in.service_codes_used.value_or(0);
  if (in.service_codes_used &&
      (*in.service_codes_used < 0 || *in.service_codes_used > in.service_codes_total)) {
    out.push_back({"service_codes_used", "invalid",
                   "service_codes_used must be between 0 and service_codes_total"});
  }
  return out;
}

std::vector<ErrorDetail> NormalizeDomain(const DomainInput& in, store::DomainRow& row) {
  std::vector<ErrorDetail> out;
  const std::string typed = Trim(in.name);
  if (typed.empty()) {
    out.push_back({"name", "required", "name is required"});
  } else if (auto info = domain::AnalyzeDomain(typed); !info) {
    out.push_back({"name", "invalid", "name is not a valid domain name"});
  } else if (info->registrable.ascii.empty() || info->is_subdomain) {
    out.push_back({"name", "not_registrable",
                   "name must be a registered domain (such as example.com), not a subdomain or "
                   "a public suffix"});
  } else {
    row.name = info->registrable.ascii;
    row.unicode_name = info->registrable.unicode;
  }
  row.holder_name = Trim(in.holder_name);
  CheckText(out, "holder_name", row.holder_name, true);
  row.real_name_verified = in.real_name_verified;
  row.registrar = Trim(in.registrar);
  CheckText(out, "registrar", row.registrar, false);
  row.expires_at = NormalizeDate(out, in.expires_at);
  return out;
}

namespace {

domain::Instance InstanceOf(const store::InstanceRow& r) {
  return {.id = r.id,
          .region = r.region,
          .mainland = r.mainland,
          .public_ip = r.public_ip.has_value(),
          .billing = r.billing,
          .expires_at = DateOf(r.expires_at),
          .service_codes_total = static_cast<int>(r.service_codes_total),
          .service_codes_used = static_cast<int>(r.service_codes_used)};
}

domain::InventoryDomain DomainOf(const store::DomainRow& r) {
  return {.name = r.name,
          .holder_name = r.holder_name,
          .real_name_verified = r.real_name_verified,
          .expires_at = DateOf(r.expires_at)};
}

}  // namespace

Result<domain::InMemoryInventory> LoadInventoryView(store::Tx& tx, std::string_view account_id) {
  store::InventoryRepo repo(tx);
  BEIAN_ASSIGN_OR_RETURN(auto instances, repo.AllInstances(account_id));
  BEIAN_ASSIGN_OR_RETURN(auto domains, repo.AllDomains(account_id));
  domain::InMemoryInventory view;
  for (const store::InstanceRow& r : instances) view.AddInstance(InstanceOf(r));
  for (const store::DomainRow& r : domains) view.AddDomain(DomainOf(r));
  return view;
}

Result<domain::InMemoryInventory> LoadInventoryViewFor(store::Tx& tx, std::string_view account_id,
                                                       const domain::Application& application) {
  store::InventoryRepo repo(tx);
  domain::InMemoryInventory view;
  std::set<std::string> instances;
  std::set<std::string> domains;
  // The keys as the eligibility checks look them up (domain/eligibility.cc).
  for (const domain::Website& w : application.websites) {
    std::string id(domain::text::Trim(w.instance_id));
    if (!id.empty()) instances.insert(std::move(id));
    for (const std::string& d : w.domains) {
      if (!domain::text::Trim(d).empty()) domains.insert(domain::CanonicalDomainKey(d));
    }
  }
  for (const std::string& id : instances) {
    BEIAN_ASSIGN_OR_RETURN(auto row, repo.FindInstance(account_id, id));
    if (row) view.AddInstance(InstanceOf(*row));
  }
  for (const std::string& name : domains) {
    BEIAN_ASSIGN_OR_RETURN(auto row, repo.FindDomain(account_id, name));
    if (row) view.AddDomain(DomainOf(*row));
  }
  return view;
}

int64_t InventoryService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

Result<store::InstanceRow> InventoryService::AddInstance(const InstanceInput& in) {
  store::InstanceRow row;
  std::vector<ErrorDetail> problems = NormalizeInstance(in, row);
  row.created_at_ms = NowMs();
  return db_.Write([&](store::Tx& tx) -> Result<store::InstanceRow> {
    std::vector<ErrorDetail> all = problems;
    BEIAN_ASSIGN_OR_RETURN(auto owner, ResolveOwner(tx, in.owner_email, all));
    if (!all.empty()) return ValidationError(std::move(all));
    row.owner_id = *owner;
    BEIAN_TRY(store::InventoryRepo(tx).CreateInstance(row));
    return row;
  });
}

Result<store::DomainRow> InventoryService::AddDomain(const DomainInput& in) {
  store::DomainRow row;
  std::vector<ErrorDetail> problems = NormalizeDomain(in, row);
  row.created_at_ms = NowMs();
  return db_.Write([&](store::Tx& tx) -> Result<store::DomainRow> {
    std::vector<ErrorDetail> all = problems;
    BEIAN_ASSIGN_OR_RETURN(auto owner, ResolveOwner(tx, in.owner_email, all));
    if (!all.empty()) return ValidationError(std::move(all));
    row.owner_id = *owner;
    BEIAN_TRY(store::InventoryRepo(tx).CreateDomain(row));
    return row;
  });
}

Result<store::InventoryPage<store::InstanceRow>> InventoryService::ListInstances(
    std::string_view account_id, int limit, std::string_view cursor) {
  return db_.Read([&](store::Tx& tx) {
    return store::InventoryRepo(tx).ListInstances(account_id, limit, cursor);
  });
}

Result<store::InventoryPage<store::DomainRow>> InventoryService::ListDomains(
    std::string_view account_id, int limit, std::string_view cursor) {
  return db_.Read([&](store::Tx& tx) {
    return store::InventoryRepo(tx).ListDomains(account_id, limit, cursor);
  });
}

Result<domain::InMemoryInventory> InventoryService::ViewFor(std::string_view account_id) {
  return db_.Read([&](store::Tx& tx) { return LoadInventoryView(tx, account_id); });
}

Result<ImportReport> InventoryService::Import(const std::vector<ImportRow>& rows,
                                              std::vector<RejectedRow> rejected_before,
                                              const std::function<void(size_t, size_t)>& progress) {
  const size_t total = rows.size();
  // Pass 1: every row on its own, and duplicates within the file.
  struct Prepared {
    std::optional<store::InstanceRow> instance;
    std::optional<store::DomainRow> domain;
    std::optional<int64_t> used;
    std::string owner_email;
  };
  std::vector<Prepared> prepared(rows.size());
  std::vector<std::vector<ErrorDetail>> problems(rows.size());
  std::map<std::string, int> seen_instances;
  std::map<std::string, int> seen_domains;
  const int64_t now = NowMs();
  for (size_t i = 0; i < rows.size(); ++i) {
    Prepared& p = prepared[i];
    if (const auto* in = std::get_if<InstanceInput>(&rows[i].input)) {
      store::InstanceRow row;
      problems[i] = NormalizeInstance(*in, row);
      row.created_at_ms = now;
      p.used = in->service_codes_used;
      p.owner_email = in->owner_email;
      if (!row.id.empty()) {
        auto [it, fresh] = seen_instances.emplace(row.id, rows[i].line);
        if (!fresh) {
          problems[i].push_back(
              {"id", "duplicate",
               "instance " + row.id + " is already on line " + std::to_string(it->second)});
        }
      }
      p.instance = std::move(row);
    } else {
      const auto& dn = std::get<DomainInput>(rows[i].input);
      store::DomainRow row;
      problems[i] = NormalizeDomain(dn, row);
      row.created_at_ms = now;
      p.owner_email = dn.owner_email;
      if (!row.name.empty()) {
        auto [it, fresh] = seen_domains.emplace(row.name, rows[i].line);
        if (!fresh) {
          problems[i].push_back(
              {"name", "duplicate",
               "domain " + row.unicode_name + " is already on line " + std::to_string(it->second)});
        }
      }
      p.domain = std::move(row);
    }
  }

  // Pass 2, in one transaction: owners, then the writes; any rejection rolls everything back.
  ImportReport report;
  auto written = db_.Write([&](store::Tx& tx) -> core::Status {
    report = ImportReport{};
    report.rejected = rejected_before;
    std::vector<std::vector<ErrorDetail>> found = problems;
    std::map<std::string, std::pair<std::optional<std::string>, std::vector<ErrorDetail>>> owners;
    for (size_t i = 0; i < rows.size(); ++i) {
      Prepared& p = prepared[i];
      auto it = owners.find(store::NormalizeEmail(p.owner_email));
      if (it == owners.end()) {
        std::vector<ErrorDetail> owner_problems;
        BEIAN_ASSIGN_OR_RETURN(auto id, ResolveOwner(tx, p.owner_email, owner_problems));
        it = owners
                 .emplace(store::NormalizeEmail(p.owner_email),
                          std::make_pair(std::move(id), std::move(owner_problems)))
                 .first;
      }
      const auto& [owner_id, owner_problems] = it->second;
      found[i].insert(found[i].end(), owner_problems.begin(), owner_problems.end());
      if (!found[i].empty() || !owner_id) {
        if (progress) progress(i + 1, total);
        continue;
      }
      core::Status s = core::Ok();
      if (p.instance) {
        p.instance->owner_id = *owner_id;
        s = store::InventoryRepo(tx).UpsertInstance(*p.instance, p.used);
        if (s) ++report.instances;
      } else {
        p.domain->owner_id = *owner_id;
        s = store::InventoryRepo(tx).UpsertDomain(*p.domain);
        if (s) ++report.domains;
      }
      if (!s) {
        // Only "belongs to another account" leaves the transaction usable; anything else is a
        // failure of the database and ends the import.
        if (s.error().code != ErrorCode::kConflict) return std::move(s).error();
        found[i].insert(found[i].end(), s.error().details.begin(), s.error().details.end());
      }
      if (progress) progress(i + 1, total);
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!found[i].empty()) {
        report.rejected.push_back({rows[i].line, rows[i].location, Describe(found[i])});
      }
    }
    std::stable_sort(report.rejected.begin(), report.rejected.end(),
                     [](const RejectedRow& a, const RejectedRow& b) { return a.line < b.line; });
    if (!report.rejected.empty()) {
      return Error(ErrorCode::kValidationFailed, "rows rejected");  // roll back
    }
    return core::Ok();
  });
  if (!written) {
    if (written.error().code == ErrorCode::kValidationFailed && !report.rejected.empty()) {
      report.instances = 0;
      report.domains = 0;
      return report;
    }
    return std::move(written).error();
  }
  return report;
}

}  // namespace beian::agent
