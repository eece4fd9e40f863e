// PublicRegistryScan (see public_registry_scan.h).
#include "store/public_registry_scan.h"

namespace beian::store {
namespace {

// Keyset paging on the primary key: the comparison and the order use the column's collation, so
// the pages are consistent whatever that collation is (the keys are ASCII).
constexpr Statement kPage{
    "public_filings.scan_page",
    "SELECT domain, website_sn, subject_sn, organizer_name, organizer_type, website_name,"
    " approved_at, seq FROM public_filings WHERE domain > $1 ORDER BY domain LIMIT $2"};

}  // namespace

core::Result<std::vector<PublicFilingRow>> PublicRegistryScan::Page(std::string_view after,
                                                                    size_t limit) {
  BEIAN_ASSIGN_OR_RETURN(auto rows, tx_.Query(kPage, {after, static_cast<int64_t>(limit)}));
  std::vector<PublicFilingRow> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    PublicFilingRow r;
    BEIAN_ASSIGN_OR_RETURN(r.domain, row.GetText(0));
    BEIAN_ASSIGN_OR_RETURN(r.website_sn, row.GetText(1));
    BEIAN_ASSIGN_OR_RETURN(r.subject_sn, row.GetText(2));
    BEIAN_ASSIGN_OR_RETURN(r.organizer_name, row.GetText(3));
    BEIAN_ASSIGN_OR_RETURN(r.organizer_type, row.GetText(4));
    BEIAN_ASSIGN_OR_RETURN(r.website_name, row.GetText(5));
    BEIAN_ASSIGN_OR_RETURN(r.approved_at, row.GetText(6));
    BEIAN_ASSIGN_OR_RETURN(r.seq, row.GetInt(7));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace beian::store
