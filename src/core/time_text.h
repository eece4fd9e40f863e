// Instants as the API and the logs write them: Unix milliseconds, and RFC 3339 text in UTC with
// milliseconds ("2026-12-06T21:40:00.123Z"). One definition, so every service, the outbox views
// and the registry print the same form.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"

namespace beian::core {

// Milliseconds since the Unix epoch.
int64_t ToMillis(TimePoint t);

// "YYYY-MM-DDTHH:MM:SS.mmmZ" for `unix_ms` (UTC).
std::string FormatRfc3339(int64_t unix_ms);

}  // namespace beian::core
