// The filing application of DESIGN §6: one organizer (the subject) and one or more websites, as
// the applicant entered them. Plain values with no behaviour; enumerated fields (types, provinces,
// service content, pre-approval kinds) stay strings so that an unknown value reaches the checks
// (and becomes a finding naming its field) instead of failing the parse. Empty string = not given.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace beian::domain {

struct Certificate {
  std::string type;  // RULES.md "Enumerations": business_license, resident_id_card, ...
  std::string number;

  bool operator==(const Certificate&) const = default;
};

// A person in charge (主体负责人 / 网站负责人).
struct Person {
  std::string name;
  std::string id_type;  // an identity document type, e.g. resident_id_card
  std::string id_number;
  std::string mobile;
  std::string email;

  // True when no field was given (a website without its own person means "same as the
  // organizer's person in charge", the 同主体负责人 checkbox of the providers' forms).
  bool Empty() const {
    return name.empty() && id_type.empty() && id_number.empty() && mobile.empty() && email.empty();
  }
  bool operator==(const Person&) const = default;
};

// The organizer's legal representative (法定代表人), RULES.md decision 10: optional; when absent
// the organizer's person in charge is taken as the legal representative. Persons in charge of an
// organization who are someone else need the representative's authorisation letter.
struct LegalRepresentative {
  std::string name;
  std::string id_type;
  std::string id_number;

  bool Empty() const { return name.empty() && id_type.empty() && id_number.empty(); }
  bool operator==(const LegalRepresentative&) const = default;
};

struct Organizer {
  std::string type;  // enterprise, individual, government, ...
  std::string name;
  Certificate certificate;
  std::string province;  // two-digit GB/T 2260 code of the organizer's residence / seat
  std::string address;
  Person person_in_charge;
  LegalRepresentative legal_representative{};  // empty = the person in charge

  bool operator==(const Organizer&) const = default;
};

struct Website {
  std::string name;
  std::vector<std::string> domains;  // one since 2019-04-22; a list for legacy filings
  std::string homepage;
  std::string service_content;
  std::vector<std::string> languages;
  std::vector<std::string> pre_approvals;  // pre-approval kinds
  std::string instance_id;                 // the provider's server instance
  Person person_in_charge;                 // empty = the organizer's person in charge

  bool operator==(const Website&) const = default;
};

// What the applicant holds from earlier filings (needed for new_isp and new_website).
struct BeianCredentials {
  std::string subject_sn;
  std::map<std::string, std::string> website_sns;  // domain -> website SN

  bool operator==(const BeianCredentials&) const = default;
};

struct Application {
  std::string id;
  std::int64_t version = 0;
  std::string state;        // state machine state (agent side), e.g. "draft"
  std::string filing_type;  // as judged by the last precheck; never chosen by the applicant
  std::string province;     // filing province (two-digit code), derived from the organizer
  Organizer organizer;
  std::vector<Website> websites;
  BeianCredentials beian;

  bool operator==(const Application&) const = default;
};

// The person in charge of `websites[i]`: its own, or the organizer's when it names none.
inline const Person& WebsitePerson(const Application& app, const Website& w) {
  return w.person_in_charge.Empty() ? app.organizer.person_in_charge : w.person_in_charge;
}

}  // namespace beian::domain
