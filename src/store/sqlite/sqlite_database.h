// The SQLite backend: WAL, foreign keys on, busy_timeout, mmap; one writer connection (writes are
// serialised by a mutex and begin with BEGIN IMMEDIATE, so a write transaction never fails
// half-way on an upgrade) and a pool of query_only reader connections for Read.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

// `path` is a file path or ":memory:" (then readers are not used: a private in-memory database
// exists only on its one connection).
core::Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                   const DatabaseOptions& options);

}  // namespace beian::store
