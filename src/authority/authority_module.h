// The competent authority's service (port 8090), with its own database: its own accounts
// (authority reviewers, created by `beian admin create-user`; no self-registration), the
// providers that call its signed API (`beian admin add-provider`), the registry with its signed
// look-up, change feed and credential check, and the public query; the submissions handed over
// by providers (submission_intake.h), SMS verification (sms_verification.h) and the review.
// Register() mounts every route under /authority/v1 on a router.
#pragma once

#include "accounts/accounts_routes.h"
#include "accounts/accounts_service.h"
#include "accounts/password_pool.h"
#include "authority/registry_service.h"
#include "authority/review_service.h"
#include "authority/signed_routes.h"
#include "authority/submission_intake.h"
#include "blob/blob_store.h"
#include "core/clock.h"
#include "core/pii_cipher.h"
#include "domain/rules.h"
#include "http/router.h"
#include "store/database.h"

namespace beian::authority {

inline constexpr std::string_view kApiPrefix = "/authority/v1";
inline constexpr std::string_view kSessionCookie = "beian_authority_session";

struct AuthorityOptions {
  bool cookie_secure = false;
  core::PasswordCost password_cost = core::PasswordCost::kInteractive;
  // Where sign-in and registration hash passwords (shared by the services of a process; must
  // outlive the server); nullptr: on the I/O threads.
  accounts::PasswordPool* password_pool = nullptr;
  // The authority's document store (<data-dir>/authority-blobs). REQUIRED; must outlive the
  // module.
  blob::BlobStore* blobs = nullptr;
};

class AuthorityModule {
 public:
  AuthorityModule(store::Database& db, const core::Clock& clock, const core::PiiCipher& pii,
                  const domain::Rules& rules, AuthorityOptions options);

  void Register(http::Router& router);
  accounts::AccountsService& accounts() { return accounts_; }
  RegistryService& registry() { return registry_; }
  const SignatureVerifier& verifier() const { return verifier_; }
  SubmissionIntake& intake() { return intake_; }
  AuthorityReviewService& review() { return review_; }

 private:
  AuthorityOptions options_;
  accounts::AccountsService accounts_;
  SignatureVerifier verifier_;
  RegistryService registry_;
  SubmissionIntake intake_;
  AuthorityReviewService review_;
};

}  // namespace beian::authority
