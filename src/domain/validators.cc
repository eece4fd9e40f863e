// The validators' code list (see validators.h). Keep in sync with the headers' "Codes:" lines;
// validators_test.cc fails when a validator emits a code missing here.
#include "domain/validators.h"

namespace beian::domain {

const std::vector<std::string_view>& ValidatorCodes() {
  static const std::vector<std::string_view> kCodes = {
      "birth_date_in_future",
      "certificate_number_legacy",
      "checksum_mismatch",
      "domain_invalid",
      "domain_is_public_suffix",
      "forbidden_prefix",
      "id_number_invalid",
      "implausible_age",
      "individual_forbidden_word",
      "individual_regulated_word",
      "invalid_birth_date",
      "invalid_character",
      "invalid_format",
      "invalid_length",
      "invalid_residence_permit_prefix",
      "is_subdomain",
      "legacy_organization_code",
      "military_code_4_digit",
      "mobile_invalid",
      "name_invalid_character",
      "name_is_domain",
      "only_digits_or_latin",
      "organization_code_checksum_mismatch",
      "pre_approval_keyword_in_name",
      "required",
      "suffix_not_allowed_for_organizer",
      "suffix_not_approved",
      "suffix_required",
      "too_short",
      "under_age",
      "unknown_certificate_type",
      "unknown_province_prefix",
      "uscc_prefix_type_mismatch",
  };
  return kCodes;
}

}  // namespace beian::domain
