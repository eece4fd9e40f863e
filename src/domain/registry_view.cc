// In-memory registry and the canonical keys; see registry_view.h.
#include "domain/registry_view.h"

#include <utility>

#include "core/json_reader.h"
#include "domain/domain_name.h"
#include "domain/validators_util.h"

namespace beian::domain {

namespace json = boost::json;
using Readers = std::vector<core::JsonReader*>;

namespace {

// A lower-case ASCII host name without punycode labels is its own normal form, so its registrable
// domain needs only the suffix list, not a UTS #46 pass through libidn2 (the precheck's hot path:
// every lookup of a domain canonicalises it).
bool IsPlainAsciiHost(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.back() == '.' || s.front() == '-') {
    return false;
  }
  char prev = '.';
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok || (c == '.' && (prev == '.' || prev == '-')) || (c == '-' && prev == '.')) {
      return false;
    }
    if (prev == '.' && s.compare(i, 4, "xn--") == 0) return false;
    prev = c;
  }
  return prev != '-';
}

}  // namespace

std::string CanonicalDomainKey(std::string_view domain) {
  if (IsPlainAsciiHost(domain)) {
    const std::string suffix = PublicSuffixOf(domain);
    if (domain.size() > suffix.size() + 1) {
      std::string_view head = domain.substr(0, domain.size() - suffix.size() - 1);
      std::size_t dot = head.rfind('.');
      return std::string(domain.substr(dot == std::string_view::npos ? 0 : dot + 1));
    }
  }
  if (auto info = AnalyzeDomain(domain); info && !info->registrable.ascii.empty()) {
    return info->registrable.ascii;
  }
  return text::AsciiLower(text::Trim(domain));
}

std::string CanonicalCertificateKey(std::string_view number) {
  std::string key = text::NormalizeCode(number);
  std::erase(key, '-');
  return key;
}

namespace {

// Decision 12: types must agree, unless one side does not say.
bool SameType(std::string_view a, std::string_view b) { return a.empty() || b.empty() || a == b; }

}  // namespace

void InMemoryRegistry::AddSubject(RegistrySubject subject) {
  subject.certificate_number = CanonicalCertificateKey(subject.certificate_number);
  std::vector<RegistrySubject>& list = subjects_[subject.certificate_number];
  for (RegistrySubject& s : list) {
    if (s.certificate_type == subject.certificate_type) {
      s = std::move(subject);
      return;
    }
  }
  list.push_back(std::move(subject));
}

void InMemoryRegistry::AddWebsite(RegistryWebsite website) {
  website.domain = CanonicalDomainKey(website.domain);
  std::string key = website.domain;
  websites_[key] = std::move(website);
}

void InMemoryRegistry::AddOpenOrderForCertificate(std::string_view number) {
  ++open_certificates_[CanonicalCertificateKey(number)];
}

void InMemoryRegistry::AddOpenOrderForDomain(std::string_view domain) {
  ++open_domains_[CanonicalDomainKey(domain)];
}

std::optional<RegistrySubject> InMemoryRegistry::FindSubject(std::string_view type,
                                                             std::string_view number) const {
  auto it = subjects_.find(CanonicalCertificateKey(number));
  if (it == subjects_.end()) return std::nullopt;
  for (const RegistrySubject& s : it->second) {
    if (SameType(s.certificate_type, type)) return s;
  }
  return std::nullopt;
}

std::vector<RegistrySubject> InMemoryRegistry::SubjectsWithNumber(std::string_view number) const {
  auto it = subjects_.find(CanonicalCertificateKey(number));
  if (it == subjects_.end()) return {};
  return it->second;
}

std::optional<RegistryWebsite> InMemoryRegistry::FindWebsite(std::string_view domain) const {
  auto it = websites_.find(CanonicalDomainKey(domain));
  if (it == websites_.end()) return std::nullopt;
  return it->second;
}

std::vector<RegistryWebsite> InMemoryRegistry::WebsitesOfSubject(
    std::string_view subject_sn) const {
  std::vector<RegistryWebsite> out;
  for (const auto& [key, w] : websites_) {
    if (w.subject_sn == subject_sn) out.push_back(w);
  }
  return out;
}

bool InMemoryRegistry::HasOpenOrderForCertificate(std::string_view number) const {
  return open_certificates_.count(CanonicalCertificateKey(number)) > 0;
}

bool InMemoryRegistry::HasOpenOrderForDomain(std::string_view domain) const {
  return open_domains_.count(CanonicalDomainKey(domain)) > 0;
}

namespace {

// The optional person_in_charge of a subject or website record (RULES.md decision 9).
std::optional<RegistryPerson> ReadRegistryPerson(core::JsonReader& parent) {
  core::JsonReader* r = parent.OptionalObject("person_in_charge");
  if (r == nullptr) return std::nullopt;
  RegistryPerson p;
  p.name = r->OptionalString("name").value_or("");
  p.id_type = r->OptionalString("id_type").value_or("");
  p.id_number = r->OptionalString("id_number").value_or("");
  p.mobile = r->OptionalString("mobile").value_or("");
  p.email = r->OptionalString("email").value_or("");
  return p;
}

}  // namespace

core::Result<InMemoryRegistry> InMemoryRegistry::FromJson(const json::value& value) {
  if (!value.is_object()) {
    return core::Error(core::ErrorCode::kValidationFailed, "the registry must be a JSON object",
                       {core::ErrorDetail{"", "wrong_type", "must be a JSON object"}});
  }
  InMemoryRegistry reg;
  core::JsonReader top(value.get_object());
  for (core::JsonReader* r : top.OptionalObjectArray("subjects").value_or(Readers{})) {
    RegistrySubject s;
    s.certificate_type = r->OptionalString("certificate_type").value_or("");
    s.certificate_number = r->RequiredNonEmptyString("certificate_number");
    s.name = r->OptionalString("name").value_or("");
    s.province = r->OptionalString("province").value_or("");
    s.subject_sn = r->RequiredNonEmptyString("subject_sn");
    s.person_in_charge = ReadRegistryPerson(*r);
    reg.AddSubject(std::move(s));
  }
  for (core::JsonReader* r : top.OptionalObjectArray("websites").value_or(Readers{})) {
    RegistryWebsite w;
    w.domain = r->RequiredNonEmptyString("domain");
    w.website_sn = r->OptionalString("website_sn").value_or("");
    w.subject_sn = r->RequiredNonEmptyString("subject_sn");
    w.providers = r->OptionalStringArray("providers").value_or(std::vector<std::string>{});
    w.name = r->OptionalString("name").value_or("");
    w.person_in_charge = ReadRegistryPerson(*r);
    reg.AddWebsite(std::move(w));
  }
  for (core::JsonReader* r : top.OptionalObjectArray("open_orders").value_or(Readers{})) {
    std::string number = r->OptionalString("certificate_number").value_or("");
    std::string domain = r->OptionalString("domain").value_or("");
    if (number.empty() == domain.empty()) {
      r->AddProblem("", "invalid_value", "must name exactly one of certificate_number and domain");
    }
    if (!number.empty()) reg.AddOpenOrderForCertificate(number);
    if (!domain.empty()) reg.AddOpenOrderForDomain(domain);
  }
  BEIAN_TRY(top.Finish());
  return reg;
}

}  // namespace beian::domain
