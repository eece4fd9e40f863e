// Registering access providers with the authority (issue 10 item 1): `beian admin add-provider`
// creates one with a new HMAC key, printed once and stored sealed; `beian serve` with both
// services registers its own agent as provider kLocalProviderId, keeping the key in a file
// under --data-dir so that the agent can sign without any flag.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/pii_cipher.h"
#include "core/result.h"
#include "store/database.h"

namespace beian::authority {

inline constexpr std::string_view kLocalProviderId = "local";

struct NewProvider {
  std::string id;            // [a-z0-9_-], 1-64 characters
  std::string name;          // shown to people
  std::string callback_url;  // the agent's base URL (where results are sent later)
};

// Creates the provider with a new key; returns the key's 64 hex digits (to print once).
// kValidationFailed for a bad id, name or URL; kConflict (detail "provider_exists") when the id
// is taken.
core::Result<std::string> AddProvider(store::Database& db, const core::Clock& clock,
                                      const core::PiiCipher& pii, const NewProvider& provider);

// The local agent's key: the provider exists with the key in `key_file` (mode 0600), creating
// either or both as needed (a key file whose provider is missing registers it under that key;
// a provider without its file gets a new key). Returns the key's hex text.
core::Result<std::string> EnsureLocalProvider(store::Database& db, const core::Clock& clock,
                                              const core::PiiCipher& pii,
                                              const NewProvider& provider,
                                              const std::string& key_file);

}  // namespace beian::authority
