// In-memory registry and the canonical keys; see registry_view.h.
#include "domain/registry_view.h"

#include <utility>

#include "domain/application_json.h"
#include "domain/domain_name.h"
#include "domain/validators_util.h"

namespace beian::domain {

namespace json = boost::json;

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

std::string CanonicalCertificateKey(std::string_view number) { return text::NormalizeCode(number); }

void InMemoryRegistry::AddSubject(RegistrySubject subject) {
  subject.certificate_number = CanonicalCertificateKey(subject.certificate_number);
  std::string key = subject.certificate_number;
  subjects_[key] = std::move(subject);
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

std::optional<RegistrySubject> InMemoryRegistry::FindSubject(std::string_view /*type*/,
                                                             std::string_view number) const {
  auto it = subjects_.find(CanonicalCertificateKey(number));
  if (it == subjects_.end()) return std::nullopt;
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

std::string Item(std::string_view list, std::size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

core::Result<const json::object*> ItemObject(const json::value& v, const std::string& path) {
  if (!v.is_object()) return JsonTypeError(path, "an object");
  return &v.get_object();
}

}  // namespace

core::Result<InMemoryRegistry> InMemoryRegistry::FromJson(const json::value& value) {
  if (!value.is_object()) return JsonTypeError("(registry)", "a JSON object");
  InMemoryRegistry reg;
  StrictObjectReader top(value.get_object(), "");
  BEIAN_TRY(top.Finish({"subjects", "websites", "open_orders"}));

  BEIAN_ASSIGN_OR_RETURN(const json::array* subjects, top.Array("subjects"));
  for (std::size_t i = 0; subjects != nullptr && i < subjects->size(); ++i) {
    std::string path = Item("subjects", i);
    BEIAN_ASSIGN_OR_RETURN(const json::object* obj, ItemObject((*subjects)[i], path));
    StrictObjectReader r(*obj, path);
    BEIAN_TRY(
        r.Finish({"certificate_type", "certificate_number", "name", "province", "subject_sn"}));
    RegistrySubject s;
    BEIAN_TRY(r.String("certificate_type", s.certificate_type));
    BEIAN_TRY(r.String("certificate_number", s.certificate_number));
    BEIAN_TRY(r.String("name", s.name));
    BEIAN_TRY(r.String("province", s.province));
    BEIAN_TRY(r.String("subject_sn", s.subject_sn));
    BEIAN_TRY(r.RequireNonEmpty("certificate_number", s.certificate_number));
    BEIAN_TRY(r.RequireNonEmpty("subject_sn", s.subject_sn));
    reg.AddSubject(std::move(s));
  }

  BEIAN_ASSIGN_OR_RETURN(const json::array* websites, top.Array("websites"));
  for (std::size_t i = 0; websites != nullptr && i < websites->size(); ++i) {
    std::string path = Item("websites", i);
    BEIAN_ASSIGN_OR_RETURN(const json::object* obj, ItemObject((*websites)[i], path));
    StrictObjectReader r(*obj, path);
    BEIAN_TRY(r.Finish({"domain", "website_sn", "subject_sn", "providers"}));
    RegistryWebsite w;
    BEIAN_TRY(r.String("domain", w.domain));
    BEIAN_TRY(r.String("website_sn", w.website_sn));
    BEIAN_TRY(r.String("subject_sn", w.subject_sn));
    BEIAN_TRY(r.Strings("providers", w.providers));
    BEIAN_TRY(r.RequireNonEmpty("domain", w.domain));
    BEIAN_TRY(r.RequireNonEmpty("subject_sn", w.subject_sn));
    reg.AddWebsite(std::move(w));
  }

  BEIAN_ASSIGN_OR_RETURN(const json::array* orders, top.Array("open_orders"));
  for (std::size_t i = 0; orders != nullptr && i < orders->size(); ++i) {
    std::string path = Item("open_orders", i);
    BEIAN_ASSIGN_OR_RETURN(const json::object* obj, ItemObject((*orders)[i], path));
    StrictObjectReader r(*obj, path);
    BEIAN_TRY(r.Finish({"certificate_number", "domain"}));
    std::string number, domain;
    BEIAN_TRY(r.String("certificate_number", number));
    BEIAN_TRY(r.String("domain", domain));
    if (number.empty() == domain.empty()) {
      std::string msg = path + " must name exactly one of certificate_number and domain";
      return core::Error(core::ErrorCode::kValidationFailed, msg,
                         {core::ErrorDetail{path, "invalid_value", msg}});
    }
    if (!number.empty()) reg.AddOpenOrderForCertificate(number);
    if (!domain.empty()) reg.AddOpenOrderForDomain(domain);
  }
  return reg;
}

}  // namespace beian::domain
