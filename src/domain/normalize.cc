// Application normalisation; see normalize.h.
#include "domain/normalize.h"

#include "domain/domain_name.h"
#include "domain/validators_util.h"

namespace beian::domain {
namespace {

bool StripSuffix(std::string& s, std::string_view suffix) {
  if (!s.ends_with(suffix)) return false;
  s.resize(s.size() - suffix.size());
  return true;
}

void NormalizePerson(Person& p) {
  p.name = NormalizeName(p.name);
  p.id_number = NormalizeNumber(p.id_number);
}

}  // namespace

std::string NormalizeName(std::string_view name) { return text::NormalizeText(name); }

std::string NormalizeNumber(std::string_view number) {
  return text::NormalizeCode(text::Nfkc(number));
}

std::string NormalizeMilitaryUnitCode(std::string_view code) {
  std::string s = NormalizeNumber(code);
  // "…12分队": a sub-unit of the unit; the unit code is what is filed.
  if (StripSuffix(s, "分队")) {
    while (!s.empty() && s.back() >= '0' && s.back() <= '9') s.pop_back();
  }
  StripSuffix(s, "部队");
  return s;
}

std::string NormalizeDomainName(std::string_view domain) {
  std::string s = text::NormalizeText(domain);
  std::optional<DomainInfo> info = AnalyzeDomain(s);
  if (!info) return s;
  return info->registrable.unicode.empty() ? info->name.unicode : info->registrable.unicode;
}

void NormalizeApplication(Application& app) {
  Organizer& o = app.organizer;
  o.name = NormalizeName(o.name);
  o.certificate.number = o.certificate.type == "military_unit_code"
                             ? NormalizeMilitaryUnitCode(o.certificate.number)
                             : NormalizeNumber(o.certificate.number);
  NormalizePerson(o.person_in_charge);
  o.legal_representative.name = NormalizeName(o.legal_representative.name);
  o.legal_representative.id_number = NormalizeNumber(o.legal_representative.id_number);
  for (Website& w : app.websites) {
    w.name = NormalizeName(w.name);
    for (std::string& d : w.domains) d = NormalizeDomainName(d);
    NormalizePerson(w.person_in_charge);
  }
}

}  // namespace beian::domain
