// Provider registration (see providers.h).
#include "authority/providers.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "core/request_signing.h"
#include "store/providers.h"

namespace beian::authority {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;

int64_t NowMs(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

core::Status Validate(const NewProvider& p) {
  auto invalid = [](std::string field, std::string message) {
    return Error(ErrorCode::kValidationFailed, message, {{std::move(field), "invalid", message}});
  };
  if (p.id.empty() || p.id.size() > 64) return invalid("id", "the id has 1 to 64 characters");
  for (char c : p.id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      return invalid("id", "the id may hold only a-z 0-9 _ -");
    }
  }
  if (p.name.empty()) return invalid("name", "the name is required");
  if (!(p.callback_url.starts_with("http://") || p.callback_url.starts_with("https://"))) {
    return invalid("callback_url", "the callback URL is an http:// or https:// URL");
  }
  return core::Ok();
}

Result<std::string> Create(store::Database& db, const core::Clock& clock,
                           const core::PiiCipher& pii, const NewProvider& p,
                           const std::string& key_text) {
  BEIAN_TRY(Validate(p));
  store::Provider row{.id = p.id,
                      .name = p.name,
                      .callback_url = p.callback_url,
                      .key_sealed = pii.Seal(key_text, store::kProviderKeyColumn),
                      .created_at_ms = NowMs(clock)};
  BEIAN_TRY(db.Write([&](store::Tx& tx) -> core::Status {
    BEIAN_TRY(store::ProviderRepo(tx).Create(row));
    return core::Ok();
  }));
  return key_text;
}

}  // namespace

Result<std::string> AddProvider(store::Database& db, const core::Clock& clock,
                                const core::PiiCipher& pii, const NewProvider& provider) {
  return Create(db, clock, pii, provider, core::NewProviderKeyText());
}

Result<std::string> EnsureLocalProvider(store::Database& db, const core::Clock& clock,
                                        const core::PiiCipher& pii, const NewProvider& provider,
                                        const std::string& key_file) {
  std::string key_text;
  if (std::ifstream in(key_file); in) {
    std::getline(in, key_text);
    if (!core::ParseProviderKey(key_text)) {
      return Error(ErrorCode::kValidationFailed,
                   key_file + " does not hold a provider key (64 hexadecimal digits)");
    }
  }
  BEIAN_ASSIGN_OR_RETURN(auto existing, db.Read([&](store::Tx& tx) {
    return store::ProviderRepo(tx).Find(provider.id);
  }));
  if (existing) {
    if (!key_text.empty()) {
      BEIAN_ASSIGN_OR_RETURN(std::string stored,
                             pii.Open(existing->key_sealed, store::kProviderKeyColumn));
      if (stored == key_text) return key_text;
    }
    // The file is missing or holds another key: the provider gets the file's key or a new one.
    if (key_text.empty()) key_text = core::NewProviderKeyText();
    BEIAN_TRY(db.Write([&](store::Tx& tx) {
      return store::ProviderRepo(tx).SetKey(provider.id,
                                            pii.Seal(key_text, store::kProviderKeyColumn));
    }));
  } else {
    if (key_text.empty()) key_text = core::NewProviderKeyText();
    BEIAN_TRY(Create(db, clock, pii, provider, key_text));
  }
  // Written after the database holds it; 0600, replaced atomically.
  const std::string tmp = key_file + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return Error(ErrorCode::kIo, "cannot write " + tmp);
  const std::string line = key_text + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), key_file.c_str()) != 0) {
    return Error(ErrorCode::kIo, "cannot write " + key_file);
  }
  return key_text;
}

}  // namespace beian::authority
