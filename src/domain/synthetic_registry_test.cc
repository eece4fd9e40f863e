// Synthetic filings: deterministic per (seed, index); every organizer type; domains valid,
// registrable, unique and on suffixes the organizer type may use; certificates unique per type
// and passing their validators; dates within 20 years; some cancelled.
#include "domain/synthetic_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "domain/identity_validators.h"
#include "domain/rules_test_support.h"

namespace beian::domain {
namespace {

using ::testing::IsEmpty;

constexpr int64_t kNow = int64_t{1780315200} * 1000;  // 2026-06-01 12:00 UTC
constexpr int64_t kTwentyYears = int64_t{86'400'000} * 7305;

const Rules& R() { return testing::EmbeddedRules(); }

SyntheticRegistry Make(uint64_t seed, std::vector<std::string> provinces = {}) {
  return SyntheticRegistry(R(), {.seed = seed, .provinces = std::move(provinces), .now_ms = kNow});
}

std::vector<Finding> Errors(const Findings& findings) {
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    if (f.severity == Severity::kError) out.push_back(f);
  }
  return out;
}

bool SameFiling(const SyntheticFiling& a, const SyntheticFiling& b) {
  if (a.province != b.province || a.organizer_type != b.organizer_type ||
      a.organizer_name != b.organizer_name || a.certificate_number != b.certificate_number ||
      a.created_ms != b.created_ms || a.cancelled_ms != b.cancelled_ms ||
      a.person_in_charge.mobile != b.person_in_charge.mobile ||
      a.websites.size() != b.websites.size()) {
    return false;
  }
  for (size_t i = 0; i < a.websites.size(); ++i) {
    const SyntheticWebsite& x = a.websites[i];
    const SyntheticWebsite& y = b.websites[i];
    if (x.name != y.name || x.domains != y.domains || x.approved_ms != y.approved_ms ||
        x.cancelled_ms != y.cancelled_ms ||
        x.person_in_charge.id_number != y.person_in_charge.id_number) {
      return false;
    }
  }
  return true;
}

TEST(SyntheticRegistryTest, DeterministicPerSeedAndIndex) {
  const SyntheticRegistry a = Make(42);
  const SyntheticRegistry b = Make(42);
  const SyntheticRegistry c = Make(43);
  int differ = 0;
  for (int64_t i : {0, 1, 2, 999, 123456, 9'999'999}) {
    EXPECT_TRUE(SameFiling(a.Filing(i), b.Filing(i))) << i;
    // Random access: the same filing whatever was generated before it.
    EXPECT_TRUE(SameFiling(a.Filing(i), Make(42).Filing(i))) << i;
    differ += SameFiling(a.Filing(i), c.Filing(i)) ? 0 : 1;
  }
  EXPECT_EQ(differ, 6);
}

TEST(SyntheticRegistryTest, FilingsAreValidUniqueAndVaried) {
  const SyntheticRegistry gen = Make(7);
  constexpr int kCount = 6000;
  std::set<std::string> domains;
  std::map<std::string, std::set<std::string>> certificates;  // by type
  std::map<std::string, int> types;
  std::set<std::string> provinces;
  int websites = 0, idn = 0, cancelled_subjects = 0, cancelled_websites = 0;
  const std::chrono::year_month_day today{std::chrono::year{2026}, std::chrono::month{6},
                                          std::chrono::day{1}};
  for (int64_t i = 0; i < kCount; ++i) {
    const SyntheticFiling f = gen.Filing(i);
    ++types[f.organizer_type];
    provinces.insert(f.province);
    ASSERT_NE(R().FindProvince(f.province), nullptr);
    const OrganizerType* type = R().FindOrganizerType(f.organizer_type);
    ASSERT_NE(type, nullptr) << f.organizer_type;
    EXPECT_FALSE(f.organizer_name.empty());
    // The certificate: allowed for the type, valid, and unique within its type.
    EXPECT_THAT(type->certificate_types, ::testing::Contains(f.certificate_type));
    EXPECT_THAT(Errors(ValidateCertificateNumber(R(), f.certificate_type, f.certificate_number,
                                                 today, "certificate")),
                IsEmpty())
        << f.certificate_type << " " << f.certificate_number;
    EXPECT_TRUE(certificates[f.certificate_type].insert(f.certificate_number).second)
        << "duplicate certificate " << f.certificate_number;
    EXPECT_TRUE(ParseResidentId(f.person_in_charge.id_number).has_value())
        << f.person_in_charge.id_number;
    // Dates: within the 20 years before now, websites in approval order after the subject.
    EXPECT_GE(f.created_ms, kNow - kTwentyYears);
    EXPECT_LT(f.created_ms, kNow);
    ASSERT_GE(f.websites.size(), 1u);
    ASSERT_LE(f.websites.size(), 3u);
    EXPECT_EQ(f.websites.front().approved_ms, f.created_ms);
    if (f.cancelled_ms != 0) ++cancelled_subjects;
    for (size_t k = 0; k < f.websites.size(); ++k) {
      const SyntheticWebsite& w = f.websites[k];
      ++websites;
      EXPECT_EQ(w.index, static_cast<int>(k) + 1);
      if (k > 0) {
        EXPECT_GE(w.approved_ms, f.websites[k - 1].approved_ms);
      }
      EXPECT_LT(w.approved_ms, kNow);
      if (f.cancelled_ms != 0) {
        EXPECT_EQ(w.cancelled_ms, f.cancelled_ms);
      }
      if (w.cancelled_ms != 0) {
        ++cancelled_websites;
        EXPECT_GT(w.cancelled_ms, w.approved_ms);
        EXPECT_LE(w.cancelled_ms, kNow);
      }
      ASSERT_FALSE(w.domains.empty());
      for (const NormalizedDomain& d : w.domains) {
        // A registrable domain (not a subdomain, not a suffix), in canonical form both ways.
        auto info = AnalyzeDomain(d.ascii);
        ASSERT_TRUE(info.has_value()) << d.ascii;
        EXPECT_EQ(info->registrable.ascii, d.ascii);
        EXPECT_EQ(info->registrable.unicode, d.unicode);
        EXPECT_FALSE(info->is_subdomain);
        auto from_unicode = NormalizeDomain(d.unicode);
        ASSERT_TRUE(from_unicode.has_value()) << d.unicode;
        EXPECT_EQ(from_unicode->ascii, d.ascii);
        if (d.ascii.starts_with("xn--")) ++idn;
        // Eligible for the organizer type: no error finding (suffix approved, allowed for the
        // type, the type's required suffix).
        EXPECT_THAT(Errors(ValidateDomain(R(), d.unicode, f.organizer_type, "domain")), IsEmpty())
            << d.unicode << " for " << f.organizer_type;
        EXPECT_TRUE(domains.insert(d.ascii).second) << "duplicate domain " << d.ascii;
      }
    }
  }
  // Every organizer type of the rules appears (military units: one filing in a thousand).
  for (const OrganizerType& t : R().organizer_types) EXPECT_GT(types[t.code], 0) << t.code;
  EXPECT_GT(types["individual"], kCount / 3);
  EXPECT_GT(types["enterprise"], kCount / 3);
  EXPECT_EQ(provinces.size(), R().provinces.size());
  EXPECT_GT(idn, websites / 50);
  EXPECT_GT(cancelled_subjects, kCount / 100);
  EXPECT_GT(cancelled_websites, websites / 20);
  EXPECT_LT(cancelled_websites, websites / 5);
  EXPECT_GT(websites, kCount * 3 / 2);
}

TEST(SyntheticRegistryTest, ProvincesAreRestricted) {
  const SyntheticRegistry gen = Make(3, {"11", "31"});
  std::set<std::string> seen;
  for (int64_t i = 0; i < 500; ++i) seen.insert(gen.Filing(i).province);
  EXPECT_EQ(seen, (std::set<std::string>{"11", "31"}));
}

TEST(SyntheticRegistryTest, SeedsDoNotShareDomains) {
  const SyntheticRegistry a = Make(1);
  const SyntheticRegistry b = Make(2);
  std::set<std::string> domains;
  for (int64_t i = 0; i < 2000; ++i) {
    for (const auto* gen : {&a, &b}) {
      for (const SyntheticWebsite& w : gen->Filing(i).websites) {
        for (const NormalizedDomain& d : w.domains) {
          EXPECT_TRUE(domains.insert(d.ascii).second) << d.ascii;
        }
      }
    }
  }
}

}  // namespace
}  // namespace beian::domain
