// Reading an inventory import file (`beian admin import-inventory FILE`) into rows, without
// touching the database. Two formats:
//   JSON  {"instances":[{owner_email, id, product, region, mainland, public_ip, billing,
//          expires_at, service_codes_total, service_codes_used?}], "domains":[{owner_email, name,
//          holder_name, real_name_verified, registrar, expires_at}]} — the admin API's bodies.
//   CSV   one kind per file, told by the header row: instances (owner_email, id, product,
//          region, mainland, public_ip, billing, expires_at, service_codes_total
//          [, service_codes_used]) or domains (owner_email, name, holder_name,
//          real_name_verified [, registrar, expires_at]); columns in any order, RFC 4180
//          quoting, UTF-8 (a byte-order mark is ignored); booleans true/false/1/0/yes/no; an
//          empty cell is null.
// A file that cannot be read as a whole (malformed JSON, unknown CSV column) is an error; a row
// that cannot be read (wrong type, unknown member, wrong cell count) is a RejectedRow, so the
// report names every bad row at once. Each row keeps the line on which it starts.
#pragma once

#include <string_view>
#include <vector>

#include "agent/inventory_service.h"
#include "core/result.h"

namespace beian::agent {

enum class ImportFormat { kJson, kCsv };

// By extension (.json / .csv, any case), else by content (JSON starts with '{').
ImportFormat GuessImportFormat(std::string_view file_name, std::string_view text);

struct ParsedImport {
  std::vector<ImportRow> rows;
  std::vector<RejectedRow> rejected;
};

core::Result<ParsedImport> ParseInventoryFile(std::string_view text, ImportFormat format);

}  // namespace beian::agent
