// The authority reviewer's reason catalogue (issue 10 item 5; contract §6):
// data/authority/reasons.tsv, compiled into the binary — the codes an authority reviewer picks
// when rejecting a submission, with their zh-CN and en names. One catalogue for both sides: the
// authority checks a rejection's reasons against it and serves it (GET
// /authority/v1/review/reasons); the agent names the reasons a rejection brings back with it
// (agent::AuthorityReasonLabel). Pure: parsed from text, no I/O beyond the embedded file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/result.h"

namespace beian::domain {

struct AuthorityReason {
  std::string code;
  std::string zh_cn;
  std::string en;
  bool note_required = false;
};

class AuthorityReasons {
 public:
  // The TSV: comment lines "#", the header "code zh-CN en note_required", one row per code.
  // kRulesInvalid naming the line for a wrong column count, a bad code, a repeated code, empty
  // text, a note_required other than yes/no, or no "other".
  static core::Result<AuthorityReasons> Parse(std::string_view tsv);
  // data/authority/reasons.tsv as built into the binary.
  static core::Result<AuthorityReasons> BuiltIn();

  const std::vector<AuthorityReason>& entries() const { return entries_; }
  const AuthorityReason* Find(std::string_view code) const;
  boost::json::object ToJson() const;  // {items:[{code, zh_CN, en, note_required}]}

 private:
  std::vector<AuthorityReason> entries_;
};

}  // namespace beian::domain
