// The registry's routes on the authority (issue 10 items 2 and 7):
//   GET  /authority/v1/registry/lookup?certificate_type&certificate_number&domain…  (signed)
//   GET  /authority/v1/registry/changes?since=SEQ&limit=N                          (signed)
//   POST /authority/v1/registry/verify-credentials {certificate_type, certificate_number,
//        beian_sn, icp_password} → {valid}                                          (signed)
//   GET  /authority/v1/public/query?domain=|sn=|organizer=[&match=prefix]&limit&cursor (public)
#pragma once

#include "authority/registry_service.h"
#include "authority/signed_routes.h"
#include "http/router.h"

namespace beian::authority {

// REQUIRES: `registry` and `verifier` outlive the router.
void RegisterRegistryRoutes(http::Router& router, const RegistryService& registry,
                            const SignatureVerifier& verifier);

}  // namespace beian::authority
