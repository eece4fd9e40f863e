// RegistryService (see registry_service.h).
#include "authority/registry_service.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/crypto.h"
#include "core/time_text.h"
#include "domain/numbering.h"
#include "domain/validators_util.h"

namespace beian::authority {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

constexpr std::string_view kCertificateColumn = "registry_subjects.certificate";
constexpr std::string_view kPersonColumn = "registry.person_in_charge";

int64_t UnixMs(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string SealPerson(const core::PiiCipher& pii, const std::optional<domain::RegistryPerson>& p) {
  if (!p) return "";
  json::object o{{"name", p->name},
                 {"id_type", p->id_type},
                 {"id_number", p->id_number},
                 {"mobile", p->mobile},
                 {"email", p->email}};
  return pii.Seal(json::serialize(o), kPersonColumn);
}

std::optional<json::object> OpenPerson(const core::PiiCipher& pii, const std::string& sealed) {
  if (sealed.empty()) return std::nullopt;
  auto text = pii.Open(sealed, kPersonColumn);
  if (!text) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.as_object();
}

std::string CertificateHash(const core::PiiCipher& pii, std::string_view number) {
  return pii.LookupHash(domain::CanonicalCertificateKey(number), kCertificateColumn);
}

bool Contains(const std::vector<std::string>& v, std::string_view x) {
  for (const std::string& s : v) {
    if (s == x) return true;
  }
  return false;
}

}  // namespace

std::string PublicOrganizerName(std::string_view organizer_type, std::string_view name) {
  if (organizer_type != "individual") return std::string(name);
  auto cps = domain::text::DecodeUtf8(name);
  if (!cps || cps->empty()) return std::string(name);
  std::u32string masked(1, (*cps)[0]);
  masked.append(cps->size() > 1 ? cps->size() - 1 : 1, U'*');
  return domain::text::EncodeUtf8(masked);
}

int NumberingYear(core::TimePoint now) {
  using namespace std::chrono;
  const auto beijing = floor<days>(now + hours(8));
  return int(year_month_day{beijing}.year());
}

json::object RegistryService::PublicRecord(const store::RegistryWebsiteRow& w) {
  json::array domains;
  for (const std::string& d : w.domains) domains.push_back(json::value(d));
  return {{"website_sn", w.website_sn},
          {"subject_sn", w.subject_sn},
          {"organizer_name", PublicOrganizerName(w.organizer_type, w.organizer_name)},
          {"organizer_type", w.organizer_type},
          {"website_name", w.name},
          {"domains", std::move(domains)},
          {"status", w.status},
          {"approved_at", core::FormatRfc3339(w.approved_at_ms)}};
}

Result<ApprovedSns> RegistryService::RecordApproval(store::Tx& tx,
                                                    const FilingInput& filing) const {
  if (filing.websites.empty()) {
    return Error(ErrorCode::kValidationFailed, "a filing needs at least one website",
                 {{"websites", "required", "a filing needs at least one website"}});
  }
  if (rules_.FindProvince(filing.province) == nullptr) {
    return Error(ErrorCode::kValidationFailed, "unknown province " + filing.province,
                 {{"province", "invalid", "unknown province " + filing.province}});
  }
  const core::TimePoint now = clock_.Now();
  const int64_t now_ms = UnixMs(now);
  store::RegistryRepo repo(tx);
  const std::string hash = CertificateHash(pii_, filing.certificate_number);

  ApprovedSns out;
  std::optional<store::RegistrySubjectRow> subject;
  BEIAN_ASSIGN_OR_RETURN(auto existing, repo.SubjectsByCertificate(hash));
  for (store::RegistrySubjectRow& s : existing) {
    if (s.certificate_type == filing.certificate_type) subject = std::move(s);
  }
  if (!subject) {
    const int year = NumberingYear(now);
    BEIAN_ASSIGN_OR_RETURN(int64_t seq, repo.NextSubjectSequence(filing.province, year));
    BEIAN_ASSIGN_OR_RETURN(std::string sn,
                           domain::FormatSubjectSn(rules_, filing.province, year, seq));
    store::NewRegistrySubject n{
        .subject_sn = sn,
        .province = filing.province,
        .year = year,
        .sequence = seq,
        .certificate_type = filing.certificate_type,
        .certificate_hash = hash,
        .certificate_sealed = pii_.Seal(filing.certificate_number, kCertificateColumn),
        .organizer_type = filing.organizer_type,
        .organizer_name = filing.organizer_name,
        .person_sealed = SealPerson(pii_, filing.person_in_charge),
        .icp_password_hash = filing.icp_password_hash,
        .now_ms = now_ms};
    BEIAN_ASSIGN_OR_RETURN(subject, repo.CreateSubject(n));
    out.new_subject = true;
  }
  out.subject_sn = subject->subject_sn;
  for (const FilingWebsite& fw : filing.websites) {
    BEIAN_ASSIGN_OR_RETURN(int index, repo.NextWebsiteIndex(subject->id));
    BEIAN_ASSIGN_OR_RETURN(std::string website_sn,
                           domain::FormatWebsiteSn(rules_, subject->subject_sn, index));
    store::NewRegistryWebsite w{.subject_id = subject->id,
                                .website_sn = website_sn,
                                .website_index = index,
                                .name = fw.name,
                                .person_sealed = SealPerson(pii_, fw.person_in_charge),
                                .domains = {},
                                .provider_id = filing.provider_id,
                                .now_ms = now_ms};
    for (const std::string& d : fw.domains) {
      std::string key = domain::CanonicalDomainKey(d);
      if (!Contains(w.domains, key)) w.domains.push_back(std::move(key));
    }
    BEIAN_ASSIGN_OR_RETURN(store::RegistryWebsiteRow row, repo.CreateWebsite(w));
    row.subject_sn = subject->subject_sn;
    row.organizer_type = subject->organizer_type;
    row.organizer_name = subject->organizer_name;
    BEIAN_TRY(repo.AppendChange(website_sn, json::serialize(PublicRecord(row)), now_ms));
    out.website_sns.push_back(website_sn);
  }
  return out;
}

Result<ApprovedSns> RegistryService::Approve(const FilingInput& filing) const {
  return db_.Write([&](store::Tx& tx) { return RecordApproval(tx, filing); },
                   {.isolation = store::Isolation::kReadCommitted});
}

Result<json::object> RegistryService::Lookup(const store::Provider& provider,
                                             const std::string& certificate_type,
                                             const std::string& certificate_number,
                                             const std::vector<std::string>& domains) const {
  (void)certificate_type;  // every type is answered: the judgement warns on another type
  return db_.Read([&](store::Tx& tx) -> Result<json::object> {
    store::RegistryRepo repo(tx);
    json::array subjects;
    json::array websites;
    std::vector<std::string> seen_websites;
    auto add_website = [&](const store::RegistryWebsiteRow& w) {
      if (Contains(seen_websites, w.id)) return;
      seen_websites.push_back(w.id);
      const bool ours = Contains(w.provider_ids, provider.id);
      json::array providers;
      for (const std::string& p : w.provider_ids) providers.push_back(json::value(p));
      for (const std::string& d : w.domains) {
        json::object o{{"domain", d},
                       {"website_sn", w.website_sn},
                       {"subject_sn", w.subject_sn},
                       {"providers", providers},
                       {"name", w.name}};
        if (ours) {
          if (auto person = OpenPerson(pii_, w.person_sealed)) o["person_in_charge"] = *person;
        }
        websites.push_back(std::move(o));
      }
      return;
    };
    if (!certificate_number.empty()) {
      BEIAN_ASSIGN_OR_RETURN(auto found,
                             repo.SubjectsByCertificate(CertificateHash(pii_, certificate_number)));
      for (const store::RegistrySubjectRow& s : found) {
        BEIAN_ASSIGN_OR_RETURN(auto own_websites, repo.WebsitesOfSubject(s.id));
        bool ours = false;
        for (const store::RegistryWebsiteRow& w : own_websites) {
          ours = ours || Contains(w.provider_ids, provider.id);
        }
        json::object o{{"certificate_type", s.certificate_type},
                       {"certificate_number", certificate_number},
                       {"name", s.organizer_name},
                       {"province", s.province},
                       {"subject_sn", s.subject_sn}};
        if (ours) {
          if (auto person = OpenPerson(pii_, s.person_sealed)) o["person_in_charge"] = *person;
        }
        subjects.push_back(std::move(o));
        for (const store::RegistryWebsiteRow& w : own_websites) add_website(w);
      }
    }
    for (const std::string& d : domains) {
      BEIAN_ASSIGN_OR_RETURN(auto w, repo.WebsiteByDomain(domain::CanonicalDomainKey(d)));
      if (w) add_website(*w);
    }
    return json::object{{"subjects", std::move(subjects)}, {"websites", std::move(websites)}};
  });
}

Result<json::object> RegistryService::Changes(int64_t since, int limit) const {
  return db_.Read([&](store::Tx& tx) -> Result<json::object> {
    store::RegistryRepo repo(tx);
    BEIAN_ASSIGN_OR_RETURN(auto changes, repo.ChangesSince(since, limit));
    BEIAN_ASSIGN_OR_RETURN(const int64_t last_seq, repo.LastChangeSeq());
    json::array items;
    int64_t next = since;
    size_t bytes = 0;
    for (const store::RegistryChange& c : changes) {
      // The page's size is bounded: a follower far behind asks for thousands at once.
      if (!items.empty() && bytes + c.body.size() > kChangesPageBytes) break;
      bytes += c.body.size();
      boost::system::error_code ec;
      json::value record = json::parse(c.body, ec);
      if (ec) return Error(ErrorCode::kInternal, "a registry change is not JSON");
      items.push_back(json::object{{"seq", c.seq},
                                   {"website_sn", c.website_sn},
                                   {"record", std::move(record)},
                                   {"changed_at", core::FormatRfc3339(c.created_at_ms)}});
      next = c.seq;
    }
    return json::object{
        {"changes", std::move(items)}, {"next_since", next}, {"last_seq", last_seq}};
  });
}

Result<bool> RegistryService::VerifyCredentials(const std::string& certificate_type,
                                                const std::string& certificate_number,
                                                const std::string& beian_sn,
                                                const std::string& icp_password) const {
  auto parsed = domain::ParseSn(rules_, domain::NormalizeSnText(beian_sn));
  BEIAN_ASSIGN_OR_RETURN(auto subjects, db_.Read([&](store::Tx& tx) {
    return store::RegistryRepo(tx).SubjectsByCertificate(CertificateHash(pii_, certificate_number));
  }));
  bool ok = false;
  for (const store::RegistrySubjectRow& s : subjects) {
    if (!certificate_type.empty() && s.certificate_type != certificate_type) continue;
    const bool sn_matches = parsed && !parsed->website_index && parsed->subject_sn == s.subject_sn;
    // The hash is verified whatever the SN, so that the time does not tell which was wrong.
    const bool password_matches =
        !s.icp_password_hash.empty() && core::VerifyPassword(s.icp_password_hash, icp_password);
    ok = ok || (sn_matches && password_matches);
  }
  return ok;
}

Result<json::object> RegistryService::Query(const PublicQuery& q) const {
  const int given = int(!q.domain.empty()) + int(!q.sn.empty()) + int(!q.organizer.empty());
  if (given != 1) {
    return Error(ErrorCode::kValidationFailed, "give exactly one of domain, sn, organizer",
                 {{"domain", "one_required", "give exactly one of domain, sn, organizer"}});
  }
  if (q.limit < 1 || q.limit > 100) {
    return Error(ErrorCode::kValidationFailed, "limit must be between 1 and 100",
                 {{"limit", "invalid", "limit must be between 1 and 100"}});
  }
  return db_.Read([&](store::Tx& tx) -> Result<json::object> {
    store::RegistryRepo repo(tx);
    json::array results;
    std::string next;
    if (!q.domain.empty()) {
      BEIAN_ASSIGN_OR_RETURN(auto w, repo.WebsiteByDomain(domain::CanonicalDomainKey(q.domain)));
      if (w) results.push_back(PublicRecord(*w));
    } else if (!q.sn.empty()) {
      auto parsed = domain::ParseSn(rules_, domain::NormalizeSnText(q.sn));
      if (parsed && parsed->website_index) {
        BEIAN_ASSIGN_OR_RETURN(auto w, repo.WebsiteBySn(parsed->canonical));
        if (w && w->status == "active") results.push_back(PublicRecord(*w));
      } else if (parsed) {
        BEIAN_ASSIGN_OR_RETURN(auto s, repo.SubjectBySn(parsed->subject_sn));
        if (s && s->status == "active") {
          BEIAN_ASSIGN_OR_RETURN(auto ws, repo.WebsitesOfSubject(s->id));
          // Paged by website SN, as the organizer query is.
          std::sort(ws.begin(), ws.end(),
                    [](const auto& x, const auto& y) { return x.website_sn < y.website_sn; });
          for (const store::RegistryWebsiteRow& w : ws) {
            if (w.website_sn > q.cursor) results.push_back(PublicRecord(w));
            if (results.size() == static_cast<size_t>(q.limit)) {
              if (&w != &ws.back()) next = w.website_sn;
              break;
            }
          }
        }
      }
    } else {
      BEIAN_ASSIGN_OR_RETURN(auto page, repo.WebsitesByOrganizer(domain::text::Trim(q.organizer),
                                                                 q.prefix, q.limit, q.cursor));
      for (const store::RegistryWebsiteRow& w : page.websites) results.push_back(PublicRecord(w));
      next = page.next_cursor;
    }
    return json::object{{"results", std::move(results)},
                        {"next_cursor", next.empty() ? json::value(nullptr) : json::value(next)}};
  });
}

}  // namespace beian::authority
