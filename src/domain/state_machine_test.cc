// The state machines, row by row and exhaustively: every (state, event, role) not listed in the
// expectations below must be refused with invalid_transition.
#include "domain/state_machine.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <tuple>

namespace beian::domain {
namespace {

struct Row {
  Machine machine;
  const char* from;
  const char* event;
  const char* role;
  const char* to;
};

// Written out independently of the implementation's table, so a changed row fails here.
const Row kExpected[] = {
    {Machine::kApplication, "draft", "submit", "applicant", "preliminary_review"},
    {Machine::kApplication, "preliminary_review", "approve", "reviewer", "verification"},
    {Machine::kApplication, "preliminary_review", "reject", "reviewer", "returned"},
    {Machine::kApplication, "returned", "resubmit", "applicant", "preliminary_review"},
    {Machine::kApplication, "verification", "request_backdrop", "applicant", "backdrop_requested"},
    {Machine::kApplication, "backdrop_requested", "ship_backdrop", "reviewer", "backdrop_shipped"},
    {Machine::kApplication, "backdrop_shipped", "upload_photo", "applicant", "photo_uploaded"},
    {Machine::kApplication, "photo_uploaded", "accept_photo", "reviewer", "photo_accepted"},
    {Machine::kApplication, "photo_uploaded", "reject_photo", "reviewer", "backdrop_shipped"},
    {Machine::kApplication, "photo_accepted", "forward", "reviewer", "authority_review"},
    {Machine::kApplication, "photo_accepted", "forward", "system", "authority_review"},
    {Machine::kApplication, "photo_accepted", "handover_refused", "system", "returned"},
    {Machine::kApplication, "authority_review", "authority_approve", "system", "approved"},
    {Machine::kApplication, "authority_review", "authority_reject", "system", "returned"},
    {Machine::kApplication, "authority_review", "sms_failed", "system", "returned"},
    {Machine::kApplication, "verification", "expire", "system", "returned"},
    {Machine::kApplication, "backdrop_shipped", "expire", "system", "returned"},
    {Machine::kApplication, "returned", "expire", "system", "withdrawn"},
    {Machine::kApplication, "draft", "withdraw", "applicant", "withdrawn"},
    {Machine::kApplication, "draft", "withdraw", "admin", "withdrawn"},
    {Machine::kApplication, "preliminary_review", "withdraw", "applicant", "withdrawn"},
    {Machine::kApplication, "preliminary_review", "withdraw", "admin", "withdrawn"},
    {Machine::kApplication, "returned", "withdraw", "applicant", "withdrawn"},
    {Machine::kApplication, "returned", "withdraw", "admin", "withdrawn"},
    {Machine::kApplication, "verification", "withdraw", "applicant", "withdrawn"},
    {Machine::kApplication, "verification", "withdraw", "admin", "withdrawn"},
    {Machine::kApplication, "backdrop_requested", "withdraw", "applicant", "withdrawn"},
    {Machine::kApplication, "backdrop_requested", "withdraw", "admin", "withdrawn"},
    {Machine::kApplication, "backdrop_shipped", "withdraw", "applicant", "withdrawn"},
    {Machine::kApplication, "backdrop_shipped", "withdraw", "admin", "withdrawn"},
    {Machine::kApplication, "photo_uploaded", "withdraw", "applicant", "withdrawn"},
    {Machine::kApplication, "photo_uploaded", "withdraw", "admin", "withdrawn"},
    {Machine::kApplication, "photo_accepted", "withdraw", "applicant", "withdrawn"},
    {Machine::kApplication, "photo_accepted", "withdraw", "admin", "withdrawn"},
    {Machine::kApplication, "authority_review", "withdraw", "applicant", "withdrawn"},
    {Machine::kApplication, "authority_review", "withdraw", "admin", "withdrawn"},
    {Machine::kSubmission, "sms_verification", "sms_verified", "system", "under_review"},
    {Machine::kSubmission, "sms_verification", "resend_sms", "system", "sms_verification"},
    {Machine::kSubmission, "sms_verification", "sms_failed", "system", "rejected"},
    {Machine::kSubmission, "sms_verification", "sms_timeout", "system", "expired"},
    {Machine::kSubmission, "under_review", "approve", "authority_reviewer", "approved"},
    {Machine::kSubmission, "under_review", "reject", "authority_reviewer", "rejected"},
};

GuardFacts AllFacts() { return GuardFacts{true, true, true}; }

class AllowedTransitionTest : public ::testing::TestWithParam<Row> {};

TEST_P(AllowedTransitionTest, Applies) {
  const Row& row = GetParam();
  auto t = Apply(row.machine, row.from, row.event, row.role, AllFacts());
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->from, row.from);
  EXPECT_EQ(t->event, row.event);
  EXPECT_EQ(t->role, row.role);
  EXPECT_EQ(t->to, row.to);
}

std::string RowName(const ::testing::TestParamInfo<Row>& info) {
  std::string s = std::string(info.param.machine == Machine::kApplication ? "app_" : "sub_") +
                  info.param.from + "_" + info.param.event + "_" + info.param.role;
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(Rows, AllowedTransitionTest, ::testing::ValuesIn(kExpected), RowName);

TEST(StateMachineTest, TableHasExactlyTheExpectedRows) {
  std::size_t expected_app = 0, expected_sub = 0;
  for (const Row& r : kExpected)
    (r.machine == Machine::kApplication ? expected_app : expected_sub)++;
  EXPECT_EQ(TransitionTable(Machine::kApplication).size(), expected_app);
  EXPECT_EQ(TransitionTable(Machine::kSubmission).size(), expected_sub);
}

// Every (state, event, role) triple of both machines: allowed iff listed above.
TEST(StateMachineTest, ExhaustiveOverStatesEventsRoles) {
  std::set<std::tuple<Machine, std::string, std::string, std::string>> allowed;
  for (const Row& r : kExpected) allowed.insert({r.machine, r.from, r.event, r.role});
  int refused = 0;
  for (Machine m : {Machine::kApplication, Machine::kSubmission}) {
    for (std::string_view s : States(m)) {
      for (std::string_view e : Events(m)) {
        for (std::string_view role : Roles()) {
          auto t = Apply(m, s, e, role, AllFacts());
          bool want = allowed.count({m, std::string(s), std::string(e), std::string(role)}) > 0;
          EXPECT_EQ(t.ok(), want) << s << " " << e << " " << role;
          if (!t.ok()) {
            ++refused;
            EXPECT_EQ(t.error().code, core::ErrorCode::kInvalidTransition);
            EXPECT_NE(t.error().message.find(std::string(s)), std::string::npos);
            EXPECT_NE(t.error().message.find(std::string(e)), std::string::npos);
            ASSERT_EQ(t.error().details.size(), 1u);
            EXPECT_EQ(t.error().details[0].code, "invalid_transition");
          }
        }
      }
    }
  }
  EXPECT_EQ(refused, 11 * 16 * 5 + 5 * 6 * 5 - static_cast<int>(std::size(kExpected)));
}

TEST(StateMachineTest, TerminalStatesHaveNoOutgoingRows) {
  for (Machine m : {Machine::kApplication, Machine::kSubmission}) {
    for (const TransitionRule& row : TransitionTable(m)) EXPECT_FALSE(IsTerminal(m, row.from));
  }
  EXPECT_TRUE(IsTerminal(Machine::kApplication, "approved"));
  EXPECT_TRUE(IsTerminal(Machine::kApplication, "withdrawn"));
  EXPECT_TRUE(IsTerminal(Machine::kSubmission, "expired"));
  EXPECT_FALSE(IsTerminal(Machine::kApplication, "returned"));
}

TEST(StateMachineTest, EveryStateIsReachableFromTheInitialOne) {
  for (Machine m : {Machine::kApplication, Machine::kSubmission}) {
    std::set<std::string_view> seen = {InitialState(m)};
    bool grew = true;
    while (grew) {
      grew = false;
      for (const TransitionRule& row : TransitionTable(m)) {
        if (seen.count(row.from) && seen.insert(row.to).second) grew = true;
      }
    }
    EXPECT_EQ(seen.size(), States(m).size());
  }
}

TEST(StateMachineTest, GuardsMustHold) {
  auto submit = Apply(Machine::kApplication, "draft", "submit", "applicant", GuardFacts{});
  ASSERT_FALSE(submit.ok());
  EXPECT_EQ(submit.error().code, core::ErrorCode::kInvalidTransition);
  EXPECT_EQ(submit.error().details[0].code, "guard_failed");
  EXPECT_NE(submit.error().message.find("precheck_passed"), std::string::npos);

  EXPECT_FALSE(Apply(Machine::kApplication, "returned", "resubmit", "applicant", {}).ok());
  EXPECT_FALSE(Apply(Machine::kSubmission, "sms_verification", "sms_verified", "system", {}).ok());
  EXPECT_FALSE(Apply(Machine::kSubmission, "sms_verification", "resend_sms", "system", {}).ok());
  GuardFacts only_precheck;
  only_precheck.precheck_passed = true;
  EXPECT_TRUE(Apply(Machine::kApplication, "draft", "submit", "applicant", only_precheck).ok());
  // Rows without a guard need no facts.
  EXPECT_TRUE(Apply(Machine::kApplication, "preliminary_review", "approve", "reviewer").ok());
}

TEST(StateMachineTest, UnknownStateOrEventIsRefused) {
  auto s = Apply(Machine::kApplication, "nowhere", "submit", "applicant", AllFacts());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kInvalidTransition);
  EXPECT_EQ(s.error().details[0].code, "unknown_state");
  auto e = Apply(Machine::kSubmission, "under_review", "submit", "system", AllFacts());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().details[0].code, "unknown_event");
  // A state of the other machine is unknown here.
  EXPECT_FALSE(Apply(Machine::kSubmission, "draft", "approve", "reviewer", AllFacts()).ok());
}

TEST(StateMachineTest, VerificationSteps) {
  EXPECT_TRUE(IsVerificationStep("verification"));
  EXPECT_TRUE(IsVerificationStep("photo_uploaded"));
  EXPECT_FALSE(IsVerificationStep("authority_review"));
  EXPECT_FALSE(IsVerificationStep("draft"));
}

}  // namespace
}  // namespace beian::domain
