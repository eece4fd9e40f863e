// The operational routes every service exposes: GET /healthz (the process answers: always 200
// {"status":"ok"}), GET /readyz (200 {"status":"ready"} when `readiness` is Ok — e.g. database
// reachable and schema current — else 503 with the error body) and GET /metrics (Prometheus).
#pragma once

#include <functional>

#include "core/result.h"
#include "http/router.h"

namespace beian::http {

// The exact /healthz body (the benchmark's reference server returns the same bytes).
inline constexpr char kHealthzBody[] = "{\"status\":\"ok\"}";

// Registers the three routes on `router`. `readiness` may be empty (always ready); it must be
// thread-safe.
void AddHealthRoutes(Router& router, std::function<core::Status()> readiness = {});

}  // namespace beian::http
