// The pure parts of the provider's review (issue 7 items 5–6): the reason catalogue
// (data/review/reasons.tsv, compiled into the binary), the validation of a decision's reasons,
// field paths into the application JSON, what changed since a rejection (flagged_fields'
// `changed`, the reviewer's changes_since_rejection), claim liveness, and the audit log's hash
// chain. No I/O, no clock: the review service (review_service.h) supplies times and rows.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "agent/application_transitions.h"
#include "core/result.h"

namespace beian::agent {

// The two review steps a reason can belong to.
enum class ReviewStage { kPreliminary, kPhoto };
std::string_view StageName(ReviewStage stage);  // "preliminary" | "photo"

struct ReasonEntry {
  std::string code;
  std::vector<ReviewStage> stages;
  bool note_required = false;
  std::string zh_cn;
  std::string en;
};

// The codes the catalogue must have (issue 7 item 5).
inline constexpr std::string_view kRequiredReasonCodes[] = {"name_unrelated",
                                                            "info_mismatch",
                                                            "document_unclear",
                                                            "document_expired",
                                                            "photo_nonconforming",
                                                            "domain_holder_mismatch",
                                                            "other"};

class ReasonCatalogue {
 public:
  // Parses the TSV (comment lines "#", a header "code stages note_required zh-CN en", one row
  // per code). kRulesInvalid naming the line for a wrong column count, an unknown stage, a
  // note_required other than yes/no, empty text, a repeated code or a missing required code.
  static core::Result<ReasonCatalogue> Parse(std::string_view tsv);
  // The built-in catalogue (data/review/reasons.tsv as embedded).
  static core::Result<ReasonCatalogue> BuiltIn();

  const std::vector<ReasonEntry>& entries() const { return entries_; }
  const ReasonEntry* Find(std::string_view code) const;
  boost::json::object ToJson() const;  // {items: [{code, zh_CN, en, note_required, stages}]}

 private:
  std::vector<ReasonEntry> entries_;
};

// Checks a decision's reasons for `stage`. `rejecting`: at least one reason is needed.
// Every reason needs a field (a path of at most 200 bytes) and a code of the catalogue valid for
// the stage (else kUnknownReason, detail field "reasons[i].code"); a code with note_required
// needs a message (else kValidationFailed, detail code "note_required" at "reasons[i].message");
// messages at most 1000 bytes.
core::Status ValidateReasons(const ReasonCatalogue& catalogue, ReviewStage stage, bool rejecting,
                             const std::vector<Reason>& reasons);

// Whether a reason's `field` names something of the application: "photo", a document group
// "documents.<kind>:<subject>", or a path that exists in the application JSON `app`.
bool ReasonFieldKnown(std::string_view field, const boost::json::value& app);
// kValidationFailed (detail code "unknown_field_path" at reasons[i].field) for the reasons whose
// field ReasonFieldKnown refuses.
core::Status CheckReasonFields(const std::vector<Reason>& reasons, const boost::json::value& app);

// The value at `path` ("organizer.name", "websites[0].domains[1]") in `root`, or nullptr.
const boost::json::value* ValueAtPath(const boost::json::value& root, std::string_view path);

// Every leaf (string, number, bool, null, empty array/object) of `v` by its path.
std::map<std::string, boost::json::value> FlattenJson(const boost::json::value& v);

// The documents of an application as a rejection records them: "kind:subject" → the files.
struct DocumentFile {
  std::string sha256;
  std::string name;
};
using DocumentSnapshot = std::map<std::string, std::vector<DocumentFile>>;
boost::json::object DocumentSnapshotToJson(const DocumentSnapshot& s);
DocumentSnapshot DocumentSnapshotFromJson(std::string_view text);  // {} for malformed text

// The state of an application at one moment, as far as flagged fields are concerned: its JSON
// (values in clear) and its documents.
struct ReviewSubject {
  boost::json::value application;
  DocumentSnapshot documents;
};

// True when the value a reason's `field` points at differs between `then` and `now`:
// "documents.<kind>:<subject>" compares the files of that kind and subject, "photo" the
// verified photo (kind verified_photo, any subject), anything else the JSON value at the path.
bool FieldChanged(std::string_view field, const ReviewSubject& then, const ReviewSubject& now);

struct FieldChange {
  std::string field;
  boost::json::value before;  // null when absent
  boost::json::value after;
};
// Every leaf of the application JSON and every document group that differs, in path order
// (JSON leaves first, then "documents.<kind>:<subject>" with the file names joined by ", ").
// `then` and `now` should already be masked when the answer is for a masked view.
std::vector<FieldChange> Changes(const ReviewSubject& then, const ReviewSubject& now);

// A claim is live while now < expires_at.
inline bool ClaimLive(int64_t expires_at_ms, int64_t now_ms) { return now_ms < expires_at_ms; }

// The audit log's chain: hex SHA-256 over prev_hash and the row's content, each field
// length-prefixed so that no two rows share an encoding. The first row's prev_hash is
// kAuditGenesis.
inline constexpr std::string_view kAuditGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";
std::string AuditHash(std::string_view prev_hash, int64_t seq, int64_t at_ms,
                      std::string_view actor_id, std::string_view action,
                      std::string_view application_id, std::string_view detail);

}  // namespace beian::agent
