// Where the data lives: --data-dir, --database, --authority-database (and their BEIAN_*
// variables), resolved to database URLs, shared by serve, migrate and admin.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "core/result.h"
#include "store/database.h"

namespace beian::cli {

struct DataOptions {
  std::string data_dir = "./var";
  std::string database;            // agent; default sqlite://<data-dir>/agent.db
  std::string authority_database;  // default sqlite://<data-dir>/authority.db
  std::string secret_key;          // hex; default: <data-dir>/secret.key (created once)

  void AddTo(CLI::App& command);
  // Creates the data directory (mode 0700) when a database in it is used.
  core::Status Prepare() const;
  std::string AgentUrl() const;
  std::string AuthorityUrl() const;
  // The key that seals personal data at rest (see core/pii_cipher.h).
  core::Result<std::string> SecretKey() const;
};

// "agent" or "authority" → the database URL.
core::Result<std::unique_ptr<store::Database>> OpenServiceDatabase(const DataOptions& data,
                                                                   std::string_view service,
                                                                   int pool_size);

// A URL with any password replaced by "***", for messages.
std::string RedactUrl(std::string_view url);

}  // namespace beian::cli
