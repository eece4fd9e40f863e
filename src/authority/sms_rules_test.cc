// The SMS verification rules, exhaustively: recipients per distinct mobile, the last 6 of an
// identity number, codes, the deadline, every entry and resend outcome over the whole range of
// wrong entries and resends, and the throttles' delays.
#include "authority/sms_rules.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace beian::authority {
namespace {

using core::ErrorCode;

// The persons of a filing with three websites: the second names no person of its own (the
// organizer's), the third one whose mobile is the organizer's.
std::vector<SmsPerson> Persons() {
  return {{"organizer", "张三", "13800138000", "11010519491231002x"},
          {"website:0", "李四", "+86 139-0013-9000", "110105194912310029"},
          {"website:1", "张三", "13800138000", "11010519491231002x"},
          {"website:2", "王五", "138 0013 8000", "110105194912310037"}};
}

TEST(SmsRulesTest, OneRecipientPerDistinctMobileInOrder) {
  const auto persons = Persons();
  auto r = GroupSmsRecipients(persons);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].person, "organizer");
  EXPECT_EQ((*r)[0].mobile, "13800138000");
  EXPECT_EQ((*r)[0].id_last6, "31002X");  // upper-cased check character
  EXPECT_EQ((*r)[0].name, "张三");
  EXPECT_EQ((*r)[0].also, (std::vector<std::string>{"website:1", "website:2"}));
  EXPECT_EQ((*r)[1].person, "website:0");
  EXPECT_EQ((*r)[1].mobile, "13900139000");  // normalised
  EXPECT_EQ((*r)[1].id_last6, "310029");
  EXPECT_TRUE((*r)[1].also.empty());

  // The first person with a mobile names the row, whatever the order.
  const std::vector<SmsPerson> reversed = {persons[3], persons[0]};
  auto r2 = GroupSmsRecipients(reversed);
  ASSERT_TRUE(r2);
  ASSERT_EQ(r2->size(), 1u);
  EXPECT_EQ((*r2)[0].person, "website:2");
  EXPECT_EQ((*r2)[0].id_last6, "310037");
  EXPECT_EQ((*r2)[0].also, (std::vector<std::string>{"organizer"}));

  // A repeated person is one.
  const std::vector<SmsPerson> twice = {persons[0], persons[0]};
  auto r3 = GroupSmsRecipients(twice);
  ASSERT_TRUE(r3);
  ASSERT_EQ(r3->size(), 1u);
  EXPECT_TRUE((*r3)[0].also.empty());
}

TEST(SmsRulesTest, UnusablePersonsAreRefused) {
  auto persons = Persons();
  EXPECT_FALSE(GroupSmsRecipients(std::vector<SmsPerson>{}));
  persons[1].mobile = "12345";
  auto r = GroupSmsRecipients(persons);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0].field, "sms_persons[1]");
  persons[1].mobile = "13900139000";
  persons[2].id_number = "12345";
  r = GroupSmsRecipients(persons);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().details[0].field, "sms_persons[2]");
}

TEST(SmsRulesTest, IdLast6) {
  EXPECT_EQ(NormalizeIdLast6("31002x"), "31002X");
  EXPECT_EQ(NormalizeIdLast6(" 31002X "), "31002X");
  EXPECT_EQ(NormalizeIdLast6("３１００２ｘ"), "31002X");  // full-width
  EXPECT_EQ(NormalizeIdLast6("E12345"), "E12345");        // passports keep letters
  EXPECT_FALSE(NormalizeIdLast6("31002"));
  EXPECT_FALSE(NormalizeIdLast6("3100211"));
  EXPECT_FALSE(NormalizeIdLast6("3100-2"));
  EXPECT_FALSE(NormalizeIdLast6(""));
  EXPECT_EQ(IdLast6Of("11010519491231002x"), "31002X");
  EXPECT_EQ(IdLast6Of("E1234567"), "234567");
  EXPECT_FALSE(IdLast6Of("12345"));
}

TEST(SmsRulesTest, CodesAreUniformDigitsAndBoundToTheirRow) {
  std::set<std::string> seen;
  std::map<char, int> digits;
  for (int i = 0; i < 500; ++i) {
    const std::string code = DrawSmsCode(6);
    ASSERT_TRUE(IsWellFormedSmsCode(code, 6)) << code;
    seen.insert(code);
    for (char c : code) ++digits[c];
  }
  EXPECT_GT(seen.size(), 490u);
  EXPECT_EQ(digits.size(), 10u);
  for (const auto& [d, n] : digits) EXPECT_GT(n, 200) << d;  // 300 expected each
  EXPECT_EQ(DrawSmsCode(4).size(), 4u);
  EXPECT_FALSE(IsWellFormedSmsCode("12345", 6));
  EXPECT_FALSE(IsWellFormedSmsCode("1234567", 6));
  EXPECT_FALSE(IsWellFormedSmsCode("12345a", 6));
  EXPECT_FALSE(IsWellFormedSmsCode("", 6));
  EXPECT_NE(CodeHashInput("s1", "organizer", "123456"), CodeHashInput("s2", "organizer", "123456"));
  EXPECT_NE(CodeHashInput("s1", "organizer", "123456"), CodeHashInput("s1", "website:0", "123456"));
  EXPECT_NE(CodeHashInput("s1", "organizer", "123456"), CodeHashInput("s1", "organizer", "123457"));
}

TEST(SmsRulesTest, DeadlineIs24HoursUnlessTold) {
  const domain::Timing timing;
  EXPECT_EQ(SmsDeadline(1000, timing), 1000 + 24 * 3600 * 1000);
  EXPECT_EQ(SmsDeadline(1000, timing, 5000), 6000);
}

// Every number of earlier wrong entries, both kinds of code, before, at and after the deadline,
// open and closed submissions, verified and not.
TEST(SmsRulesTest, EntryOutcomesExhaustively) {
  const domain::Timing timing;  // 5 wrong entries
  const int64_t deadline = 10'000;
  for (int64_t wrong = 0; wrong <= 6; ++wrong) {
    for (bool matches : {false, true}) {
      for (int64_t now : {0, 9'999, 10'000, 20'000}) {
        for (bool open : {true, false}) {
          for (bool verified : {false, true}) {
            const SmsCodeFacts f{.attempts_wrong = wrong,
                                 .resends = 0,
                                 .expires_at_ms = deadline,
                                 .verified = verified,
                                 .submission_open = open};
            const EntryDecision d = DecideEntry(f, matches, now, timing);
            const int64_t left = std::max<int64_t>(0, 5 - wrong);
            SCOPED_TRACE(testing::Message()
                         << "wrong=" << wrong << " matches=" << matches << " now=" << now
                         << " open=" << open << " verified=" << verified);
            if (verified) {
              EXPECT_EQ(d.outcome, matches ? EntryOutcome::kAgain : EntryOutcome::kExpired);
              continue;
            }
            if (!open || now >= deadline || wrong >= 5) {
              EXPECT_EQ(d.outcome, EntryOutcome::kExpired);
              continue;
            }
            if (matches) {
              EXPECT_EQ(d.outcome, EntryOutcome::kVerified);
            } else if (wrong == 4) {
              EXPECT_EQ(d.outcome, EntryOutcome::kFailed);
              EXPECT_EQ(d.attempts_left, 0);
            } else {
              EXPECT_EQ(d.outcome, EntryOutcome::kWrong);
              EXPECT_EQ(d.attempts_left, left - 1);
            }
          }
        }
      }
    }
  }
}

TEST(SmsRulesTest, FiveWrongEntriesInARowFail) {
  const domain::Timing timing;
  SmsCodeFacts f{.attempts_wrong = 0, .resends = 0, .expires_at_ms = 1000};
  std::vector<int64_t> lefts;
  for (;;) {
    const EntryDecision d = DecideEntry(f, false, 0, timing);
    lefts.push_back(d.attempts_left);
    if (d.outcome != EntryOutcome::kWrong) {
      EXPECT_EQ(d.outcome, EntryOutcome::kFailed);
      break;
    }
    ++f.attempts_wrong;
  }
  EXPECT_EQ(lefts, (std::vector<int64_t>{4, 3, 2, 1, 0}));
}

TEST(SmsRulesTest, ResendOutcomesExhaustively) {
  const domain::Timing timing;  // 3 resends
  for (int64_t resends = 0; resends <= 4; ++resends) {
    for (int64_t wrong : {0, 4, 5}) {
      for (int64_t now : {0, 10'000}) {
        for (bool open : {true, false}) {
          for (bool verified : {false, true}) {
            const SmsCodeFacts f{.attempts_wrong = wrong,
                                 .resends = resends,
                                 .expires_at_ms = 10'000,
                                 .verified = verified,
                                 .submission_open = open};
            const ResendDecision d = DecideResend(f, now, timing);
            SCOPED_TRACE(testing::Message()
                         << "resends=" << resends << " wrong=" << wrong << " now=" << now
                         << " open=" << open << " verified=" << verified);
            if (verified) {
              EXPECT_EQ(d.outcome, ResendOutcome::kVerified);
            } else if (!open || now >= 10'000 || wrong >= 5) {
              EXPECT_EQ(d.outcome, ResendOutcome::kExpired);
            } else if (resends >= 3) {
              EXPECT_EQ(d.outcome, ResendOutcome::kLimit);
              EXPECT_EQ(d.resends_left, 0);
            } else {
              EXPECT_EQ(d.outcome, ResendOutcome::kSend);
              EXPECT_EQ(d.resends_left, 3 - resends - 1);
            }
          }
        }
      }
    }
  }
}

TEST(SmsRulesTest, ThrottlesLeaveRoomForOnePersonsWholeAllowance) {
  // One person may use every wrong entry and every resend without being slowed down.
  const domain::Timing timing;
  const int64_t allowance = timing.sms_max_wrong_entries + timing.sms_max_resends + 1;
  for (const auto& p : {SmsMobileThrottle(), SmsAddressThrottle()}) {
    EXPECT_GE(p.free_failures, allowance);
    EXPECT_EQ(accounts::DelayAfter(p, p.free_failures).count(), 0);
    EXPECT_GT(accounts::DelayAfter(p, p.free_failures + 1).count(), 0);
  }
}

}  // namespace
}  // namespace beian::authority
