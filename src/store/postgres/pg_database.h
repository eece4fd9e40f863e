// The PostgreSQL backend over libpq: a bounded pool of connections opened on demand, statements
// prepared by their logical name once per connection, text results converted by column type
// (int2/4/8 → int64, bool → bool, bytea → Bytes, the rest → text). A connection found broken
// is re-opened when next lent out; a transaction that lost its connection before COMMIT is
// retried on a fresh one.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/database.h"

namespace beian::store {

// `url` is a libpq connection URL (postgresql://user@host:port/db). Opens one connection
// eagerly so that an unreachable server is reported here (kUnavailable).
core::Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url,
                                                     const DatabaseOptions& options);

}  // namespace beian::store
