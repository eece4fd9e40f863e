// PublicRegistryRepo: named statements for the agent's copy of the public registry (see
// public_registry.h).
#include "store/public_registry.h"

namespace beian::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

constexpr Statement kCursor{"public_registry_sync.get",
                            "SELECT last_seq, updated_at FROM public_registry_sync WHERE id = 1"};
constexpr Statement kSetCursor{
    "public_registry_sync.set",
    "UPDATE public_registry_sync SET last_seq = $1, updated_at = $2 WHERE id = 1"};
constexpr Statement kDeleteWebsite{"public_filings.delete_website",
                                   "DELETE FROM public_filings WHERE website_sn = $1"};
constexpr Statement kUpsert{
    "public_filings.upsert",
    "INSERT INTO public_filings (domain, website_sn, subject_sn, organizer_name, organizer_type,"
    " website_name, approved_at, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    " ON CONFLICT (domain) DO UPDATE SET website_sn = excluded.website_sn,"
    " subject_sn = excluded.subject_sn, organizer_name = excluded.organizer_name,"
    " organizer_type = excluded.organizer_type, website_name = excluded.website_name,"
    " approved_at = excluded.approved_at, seq = excluded.seq"};
constexpr Statement kByDomain{
    "public_filings.by_domain",
    "SELECT domain, website_sn, subject_sn, organizer_name, organizer_type, website_name,"
    " approved_at, seq FROM public_filings WHERE domain = $1"};
constexpr Statement kCount{"public_filings.count", "SELECT COUNT(*) FROM public_filings"};

}  // namespace

Result<PublicRegistryCursor> PublicRegistryRepo::Cursor() {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kCursor));
  if (!row) return Error(ErrorCode::kInternal, "public_registry_sync has no row");
  PublicRegistryCursor c;
  BEIAN_ASSIGN_OR_RETURN(c.last_seq, row->GetInt(0));
  BEIAN_ASSIGN_OR_RETURN(c.updated_at_ms, row->GetInt(1));
  return c;
}

Status PublicRegistryRepo::SetCursor(int64_t last_seq, int64_t now_ms) {
  BEIAN_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kSetCursor, {last_seq, now_ms}));
  if (n != 1) return Error(ErrorCode::kInternal, "public_registry_sync has no row");
  return core::Ok();
}

Status PublicRegistryRepo::ReplaceWebsite(std::string_view website_sn,
                                          const std::vector<PublicFilingRow>& rows) {
  BEIAN_TRY(tx_.Exec(kDeleteWebsite, {website_sn}));
  for (const PublicFilingRow& r : rows) {
    BEIAN_TRY(tx_.Exec(kUpsert, {r.domain, website_sn, r.subject_sn, r.organizer_name,
                                 r.organizer_type, r.website_name, r.approved_at, r.seq}));
  }
  return core::Ok();
}

Result<std::optional<PublicFilingRow>> PublicRegistryRepo::FindByDomain(std::string_view domain) {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kByDomain, {domain}));
  if (!row) return std::optional<PublicFilingRow>();
  PublicFilingRow r;
  BEIAN_ASSIGN_OR_RETURN(r.domain, row->GetText(0));
  BEIAN_ASSIGN_OR_RETURN(r.website_sn, row->GetText(1));
  BEIAN_ASSIGN_OR_RETURN(r.subject_sn, row->GetText(2));
  BEIAN_ASSIGN_OR_RETURN(r.organizer_name, row->GetText(3));
  BEIAN_ASSIGN_OR_RETURN(r.organizer_type, row->GetText(4));
  BEIAN_ASSIGN_OR_RETURN(r.website_name, row->GetText(5));
  BEIAN_ASSIGN_OR_RETURN(r.approved_at, row->GetText(6));
  BEIAN_ASSIGN_OR_RETURN(r.seq, row->GetInt(7));
  return std::optional<PublicFilingRow>(std::move(r));
}

Result<int64_t> PublicRegistryRepo::CountDomains() {
  BEIAN_ASSIGN_OR_RETURN(auto row, tx_.QueryOne(kCount));
  if (!row) return int64_t{0};
  return row->GetInt(0);
}

}  // namespace beian::store
