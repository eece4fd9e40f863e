// What the competent authority's registry knows, as the filing-type judgement needs it: filed
// subjects (by certificate), filed websites (by registrable domain) with the providers that
// give them access, and orders in progress anywhere. The services implement RegistryView over
// their copy of the registry; InMemoryRegistry serves the CLI and tests.
//
// The registry match key of a subject (RULES.md decision 12) is the pair (certificate type,
// normalised number): the same number registered under another type is not the same subject
// (the precheck warns subject_registered_under_other_certificate and asks to modify that subject
// first). Numbers are normalised by CanonicalCertificateKey (trimmed, full-width folded, ASCII
// upper-case, spaces and '-' removed: "MA01ABCD-5" and "ma01abcd5" are one organization code).
// An empty type on either side (an incomplete application, a registry row without a type)
// matches any type. Domains are keyed by the registrable domain in punycode ("example.com.cn",
// "xn--fiqs8s.xn--fiqs8s"). Open orders are those other than the application being judged.
// Implementations must be safe for concurrent readers. The authority's registry relies on this
// contract.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/result.h"

namespace beian::domain {

// A person in charge as the registry records them (RULES.md decision 9: a `modify` filing sends
// SMS codes to the persons whose section changed, judged against these). Empty fields were not
// recorded and are not compared.
struct RegistryPerson {
  std::string name;
  std::string id_type;
  std::string id_number;
  std::string mobile;
  std::string email;
};

struct RegistrySubject {
  std::string certificate_type;
  std::string certificate_number;
  std::string name;
  std::string province;
  std::string subject_sn;
  std::optional<RegistryPerson> person_in_charge{};  // unset: not recorded (taken as changed)
};

struct RegistryWebsite {
  std::string domain;
  std::string website_sn;
  std::string subject_sn;
  std::vector<std::string> providers;                // access providers, by name
  std::string name{};                                // the website's name, "" when not recorded
  std::optional<RegistryPerson> person_in_charge{};  // unset: not recorded (taken as changed)
};

class RegistryView {
 public:
  virtual ~RegistryView() = default;
  // The subject filed under the match key (certificate_type, number), or nullopt.
  virtual std::optional<RegistrySubject> FindSubject(std::string_view certificate_type,
                                                     std::string_view number) const = 0;
  // Every subject filed under `number`, whatever its certificate type (for decision 12's
  // warning).
  virtual std::vector<RegistrySubject> SubjectsWithNumber(std::string_view number) const = 0;
  // The website filed for registrable `domain`, or nullopt.
  virtual std::optional<RegistryWebsite> FindWebsite(std::string_view domain) const = 0;
  // Every website filed under `subject_sn`.
  virtual std::vector<RegistryWebsite> WebsitesOfSubject(std::string_view subject_sn) const = 0;
  // Whether another order for this certificate number / registrable domain is in progress.
  virtual bool HasOpenOrderForCertificate(std::string_view number) const = 0;
  virtual bool HasOpenOrderForDomain(std::string_view domain) const = 0;
};

// A registry held in memory; keys are canonicalised on insertion.
class InMemoryRegistry final : public RegistryView {
 public:
  void AddSubject(RegistrySubject subject);
  void AddWebsite(RegistryWebsite website);
  void AddOpenOrderForCertificate(std::string_view number);
  void AddOpenOrderForDomain(std::string_view domain);

  // The REGISTRY.json of `beian precheck` (issue 3 item 10): {"subjects":[{certificate_type,
  // certificate_number, name, province, subject_sn, person_in_charge?}], "websites":[{domain,
  // website_sn, subject_sn, providers:[..], name?, person_in_charge?}] (person_in_charge:
  // {name, id_type, id_number, mobile, email}), "open_orders":[{certificate_number} | {domain}]}.
  // Every list is optional; unknown members and wrong types are errors naming their path.
  static core::Result<InMemoryRegistry> FromJson(const boost::json::value& json);

  std::optional<RegistrySubject> FindSubject(std::string_view certificate_type,
                                             std::string_view number) const override;
  std::vector<RegistrySubject> SubjectsWithNumber(std::string_view number) const override;
  std::optional<RegistryWebsite> FindWebsite(std::string_view domain) const override;
  std::vector<RegistryWebsite> WebsitesOfSubject(std::string_view subject_sn) const override;
  bool HasOpenOrderForCertificate(std::string_view number) const override;
  bool HasOpenOrderForDomain(std::string_view domain) const override;

 private:
  // By normalised number; one entry per certificate type.
  std::map<std::string, std::vector<RegistrySubject>, std::less<>> subjects_;
  std::map<std::string, RegistryWebsite, std::less<>> websites_;  // by domain
  std::map<std::string, int, std::less<>> open_certificates_;
  std::map<std::string, int, std::less<>> open_domains_;
};

// The canonical key of a domain typed by a person: its registrable domain in punycode, or (for a
// name that does not parse) the trimmed, lower-cased input, so that lookups stay total.
std::string CanonicalDomainKey(std::string_view domain);
// The canonical key of a certificate number (text::NormalizeCode).
std::string CanonicalCertificateKey(std::string_view number);

}  // namespace beian::domain
