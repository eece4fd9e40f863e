// How an application is stored and shown (issue 7 item 8). At rest: the application JSON of
// DESIGN §6 with every identity number ("id_number" members), mobile number ("mobile") and
// the organizer's certificate number sealed by core::PiiCipher, wrapped as
// {"application": {...}, "icp_password": sealed or absent}; beside it, the keyed hash of the
// canonical certificate number holds the one-open-application-per-subject key. In views: the
// owner's detail shows every value; lists (and anything logged) show identity numbers as
// "3301**********1234", mobiles as "139****0001" and an identity document used as the
// organizer's certificate the same way. The sealing walks the JSON, so members added to the
// application later (e.g. a legal representative's id_number) are covered by their name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/json.hpp>

#include "core/pii_cipher.h"
#include "core/result.h"
#include "domain/application.h"
#include "domain/rules.h"
#include "store/applications.h"

namespace beian::agent {

// The stored body (see the file comment). `icp_password` empty: none kept.
std::string SealApplicationBody(const domain::Application& app, const std::string& icp_password,
                                const core::PiiCipher& pii);

struct OpenedBody {
  domain::Application application;
  std::string icp_password;
};
// The application of a stored row, every value in clear, with id, version, state, filing type
// and province from the row. kInternal when a value does not open under this key.
core::Result<OpenedBody> OpenApplicationBody(const store::ApplicationRecord& record,
                                             const core::PiiCipher& pii);

// The keyed hash of a certificate number as the subject key stores it ("" for "").
std::string CertificateHash(const std::string& number, const core::PiiCipher& pii);

// The application JSON for an API answer: DESIGN §6's object (every member present), plus
// created_at, updated_at, state_entered_at and sla_deadline (RFC 3339, UTC; null when none).
// `masked`: personal numbers masked as in lists.
boost::json::object ApplicationView(const domain::Application& app,
                                    const store::ApplicationRecord& record, bool masked,
                                    const domain::Rules& rules);

// Masks the personal numbers of an application JSON object in place.
void MaskApplicationJson(boost::json::object& app, const domain::Rules& rules);

}  // namespace beian::agent
