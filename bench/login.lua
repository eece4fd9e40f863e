-- wrk script for scripts/bench.sh (scenario healthz_under_login): every request signs in to the
-- bench account with the right password, so each one costs an Argon2id verification.
-- BENCH_EMAIL and BENCH_PASSWORD name the account (registered by the scenario).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"email":"%s","password":"%s"}', os.getenv("BENCH_EMAIL"),
  os.getenv("BENCH_PASSWORD"))
