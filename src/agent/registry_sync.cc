// The change-feed sync of the agent's public registry copy (see registry_sync.h).
#include "agent/registry_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/log.h"
#include "core/xxhash64.h"
#include "domain/public_lookup.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

Error Malformed(const std::string& what) {
  return Error(ErrorCode::kInternal, "the registry change feed is malformed: " + what);
}

const json::value* Member(const json::object& o, std::string_view name) {
  auto it = o.find(name);
  return it == o.end() ? nullptr : &it->value();
}

Result<std::string> StringMember(const json::object& o, std::string_view name) {
  const json::value* v = Member(o, name);
  if (v == nullptr || !v->is_string()) return Malformed(std::string(name) + " is not a string");
  return std::string(v->get_string());
}

Result<int64_t> IntMember(const json::object& o, std::string_view name) {
  const json::value* v = Member(o, name);
  if (v == nullptr || !v->is_int64()) return Malformed(std::string(name) + " is not an integer");
  return v->get_int64();
}

// The mark file: {magic, the change the copy was current at, when (Unix ms), XXH64 of the 24
// bytes before}, rewritten in place (32 bytes: one sector, and the checksum refuses a torn one).
constexpr char kMarkMagic[8] = {'B', 'E', 'I', 'A', 'N', 'C', 'U', '1'};
constexpr size_t kMarkSize = 32;

int64_t NowMs(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

}  // namespace

Result<RegistryChangePage> ParseRegistryChangePage(const json::object& page, int64_t since) {
  RegistryChangePage out;
  BEIAN_ASSIGN_OR_RETURN(out.next_since, IntMember(page, "next_since"));
  const json::value* changes = Member(page, "changes");
  if (changes == nullptr || !changes->is_array()) return Malformed("changes is not an array");
  int64_t previous = since;
  for (const json::value& item : changes->get_array()) {
    if (!item.is_object()) return Malformed("a change is not an object");
    const json::object& c = item.get_object();
    PublicWebsiteChange change;
    BEIAN_ASSIGN_OR_RETURN(change.seq, IntMember(c, "seq"));
    if (change.seq <= previous) return Malformed("seqs do not increase");
    previous = change.seq;
    BEIAN_ASSIGN_OR_RETURN(change.website_sn, StringMember(c, "website_sn"));
    const json::value* record = Member(c, "record");
    if (record == nullptr || !record->is_object()) return Malformed("a record is not an object");
    const json::object& r = record->get_object();
    BEIAN_ASSIGN_OR_RETURN(std::string status, StringMember(r, "status"));
    if (status == "active") {
      store::PublicFilingRow base;
      base.website_sn = change.website_sn;
      base.seq = change.seq;
      BEIAN_ASSIGN_OR_RETURN(base.subject_sn, StringMember(r, "subject_sn"));
      BEIAN_ASSIGN_OR_RETURN(base.organizer_name, StringMember(r, "organizer_name"));
      BEIAN_ASSIGN_OR_RETURN(base.organizer_type, StringMember(r, "organizer_type"));
      BEIAN_ASSIGN_OR_RETURN(base.website_name, StringMember(r, "website_name"));
      BEIAN_ASSIGN_OR_RETURN(base.approved_at, StringMember(r, "approved_at"));
      const json::value* domains = Member(r, "domains");
      if (domains == nullptr || !domains->is_array()) return Malformed("domains is not an array");
      for (const json::value& d : domains->get_array()) {
        if (!d.is_string()) return Malformed("a domain is not a string");
        auto key = domain::PublicLookupKey(d.get_string());
        if (!key) {
          core::Log(core::LogLevel::kWarn, "registry_sync_domain_skipped",
                    {{"website_sn", change.website_sn}, {"domain", std::string(d.get_string())}});
          continue;
        }
        store::PublicFilingRow row = base;
        row.domain = key->ascii;
        change.rows.push_back(std::move(row));
      }
    }
    out.changes.push_back(std::move(change));
  }
  if (const json::value* head = Member(page, "last_seq"); head != nullptr) {
    if (!head->is_int64() || head->get_int64() < out.next_since) {
      return Malformed("last_seq is not the feed's head");
    }
    out.last_seq = head->get_int64();
  }
  if (!out.changes.empty() && out.next_since != out.changes.back().seq) {
    return Malformed("next_since is not the last seq");
  }
  if (out.changes.empty() && out.next_since != since) {
    return Malformed("next_since moved without changes");
  }
  return out;
}

RegistrySync::RegistrySync(store::Database& db, const core::Clock& clock, RegistryChangeFeed feed,
                           int page_limit, int catch_up_limit)
    : db_(db),
      clock_(clock),
      feed_(std::move(feed)),
      page_limit_(page_limit),
      catch_up_limit_(catch_up_limit) {}

Result<int64_t> RegistrySync::RunOnce() {
  std::lock_guard lock(run_mu_);
  auto applied = Run();
  if (!applied) {
    ++failures_;
    caught_up_ = false;
    if (failing_since_ms_.load() == 0) failing_since_ms_ = NowMs(clock_);
    // While the authority is down a run fails every interval: the first failure and every 30th
    // are logged, not each.
    if (consecutive_failures_++ % 30 == 0) {
      core::Log(core::LogLevel::kWarn, "registry_sync_failed",
                {{"error", applied.error().message},
                 {"cursor", last_seq_.load()},
                 {"consecutive_failures", consecutive_failures_}});
    }
  } else {
    if (consecutive_failures_ > 0) {
      core::Log(core::LogLevel::kInfo, "registry_sync_recovered",
                {{"cursor", last_seq_.load()}, {"failed_runs", consecutive_failures_}});
    }
    consecutive_failures_ = 0;
    failing_since_ms_ = 0;
  }
  return applied;
}

void RegistrySync::LoadMark(int64_t cursor) {
  mark_loaded_ = true;
  if (mark_file_.empty()) return;
  const int fd = ::open(mark_file_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // none yet: never current before this process
  unsigned char mark[kMarkSize];
  const ssize_t n = ::pread(fd, mark, kMarkSize, 0);
  ::close(fd);
  int64_t seq = 0;
  int64_t at_ms = 0;
  uint64_t hash = 0;
  std::memcpy(&seq, mark + 8, 8);
  std::memcpy(&at_ms, mark + 16, 8);
  std::memcpy(&hash, mark + 24, 8);
  if (n != static_cast<ssize_t>(kMarkSize) || std::memcmp(mark, kMarkMagic, 8) != 0 ||
      hash != core::Xxh64(mark, 24)) {
    core::Log(core::LogLevel::kWarn, "registry_current_mark_unreadable",
              {{"path", mark_file_.string()}});
    return;
  }
  if (seq > cursor || at_ms <= 0) {
    // The copy is behind what the mark says it held (restored from an older backup?).
    core::Log(core::LogLevel::kWarn, "registry_current_mark_ignored",
              {{"path", mark_file_.string()}, {"mark_seq", seq}, {"cursor", cursor}});
    return;
  }
  current_seq_ = seq;
  current_at_ms_ = at_ms;
}

void RegistrySync::WriteMark(int64_t seq, int64_t now_ms) {
  current_seq_ = seq;
  current_at_ms_ = now_ms;
  if (mark_file_.empty()) return;
  unsigned char mark[kMarkSize];
  std::memcpy(mark, kMarkMagic, 8);
  std::memcpy(mark + 8, &seq, 8);
  std::memcpy(mark + 16, &now_ms, 8);
  const uint64_t hash = core::Xxh64(mark, 24);
  std::memcpy(mark + 24, &hash, 8);
  // Not fsynced: after a machine crash an older mark (or none) only makes the stated age larger.
  const int fd = ::open(mark_file_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  const bool ok = fd >= 0 && ::pwrite(fd, mark, kMarkSize, 0) == static_cast<ssize_t>(kMarkSize);
  const int error = errno;
  if (fd >= 0) ::close(fd);
  if (!ok && !mark_write_failed_) {
    mark_write_failed_ = true;
    core::Log(core::LogLevel::kWarn, "registry_current_mark_write_failed",
              {{"path", mark_file_.string()}, {"error", std::string(std::strerror(error))}});
  }
}

Result<int64_t> RegistrySync::Run() {
  BEIAN_ASSIGN_OR_RETURN(store::PublicRegistryCursor cursor, db_.Read([](store::Tx& tx) {
    return store::PublicRegistryRepo(tx).Cursor();
  }));
  int64_t since = cursor.last_seq;
  last_seq_ = since;
  if (!mark_loaded_) LoadMark(since);
  cursor_known_ = true;
  int64_t applied = 0;
  int limit = page_limit_;
  const auto started = std::chrono::steady_clock::now();
  bool logged_start = false;
  for (;;) {
    BEIAN_ASSIGN_OR_RETURN(json::object answer, feed_(since, limit));
    BEIAN_ASSIGN_OR_RETURN(RegistryChangePage page, ParseRegistryChangePage(answer, since));
    if (page.last_seq >= 0) head_seq_ = page.last_seq;
    // Far behind: say so once per run, then take big pages.
    const int64_t behind_before = page.last_seq >= 0 ? page.last_seq - since : 0;
    behind_ = behind_before;
    if (!logged_start && behind_before > catch_up_limit_) {
      logged_start = true;
      core::Log(core::LogLevel::kInfo, "registry_sync_catching_up",
                {{"cursor", since}, {"head", page.last_seq}, {"behind", behind_before}});
    }
    if (page.changes.empty()) break;
    const int64_t now_ms = NowMs(clock_);
    int64_t moved_to = -1;
    BEIAN_TRY(db_.Write([&](store::Tx& tx) -> core::Status {
      store::PublicRegistryRepo repo(tx);
      BEIAN_ASSIGN_OR_RETURN(store::PublicRegistryCursor current, repo.Cursor());
      // Another process on the same database moved the cursor meanwhile: apply nothing; the
      // next page is asked from where it got to.
      moved_to = current.last_seq != since ? current.last_seq : -1;
      if (moved_to >= 0) return core::Ok();
      for (const PublicWebsiteChange& c : page.changes) {
        BEIAN_TRY(repo.ReplaceWebsite(c.website_sn, c.rows));
      }
      return repo.SetCursor(page.next_since, now_ms);
    }));
    if (moved_to >= 0) {
      if (listener_) listener_({}, since, moved_to, -1);
      since = moved_to;
      last_seq_ = since;
      continue;
    }
    const int64_t behind =
        page.last_seq >= 0 ? std::max<int64_t>(0, page.last_seq - page.next_since) : 0;
    if (listener_)
      listener_(page.changes, since, page.next_since, page.last_seq >= 0 ? behind : -1);
    since = page.next_since;
    last_seq_ = since;
    applied += static_cast<int64_t>(page.changes.size());
    changes_applied_ += static_cast<int64_t>(page.changes.size());
    behind_ = behind;
    core::Log(core::LogLevel::kInfo, "registry_sync_page",
              {{"changes", static_cast<int64_t>(page.changes.size())},
               {"cursor", since},
               {"behind", behind}});
    // The head tells whether more is waiting (a page may be cut short by its byte bound);
    // without it, a short page is the last.
    const bool more =
        page.last_seq >= 0 ? behind > 0 : page.changes.size() >= static_cast<size_t>(limit);
    if (!more) break;
    limit = behind > page_limit_ ? catch_up_limit_ : page_limit_;
  }
  last_success_ms_ = NowMs(clock_);
  WriteMark(since, last_success_ms_.load());
  if (!caught_up_.exchange(true) || logged_start) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    core::Log(core::LogLevel::kInfo, "registry_sync_caught_up",
              {{"cursor", since},
               {"applied", applied},
               {"seconds", seconds},
               {"per_second", seconds > 0 ? static_cast<double>(applied) / seconds : 0.0}});
  }
  return applied;
}

core::Status RegistrySync::Readiness() const {
  if (caught_up_.load() || current_seq_.load() >= 0) return core::Ok();
  const int64_t head = head_seq_.load();
  std::string why = "the public registry copy has not caught up with the authority's change feed";
  if (head >= 0) {
    why += " yet: at change " + std::to_string(last_seq_.load()) + " of " + std::to_string(head) +
           " (" + std::to_string(behind_.load()) + " behind)";
  } else {
    why += " yet: the feed has not been reached";
  }
  return Error(ErrorCode::kRegistrySyncing, why);
}

RegistryFreshness RegistrySync::Freshness() const {
  return {.cursor_known = cursor_known_.load(),
          .cursor = last_seq_.load(),
          .head = head_seq_.load(),
          .caught_up = caught_up_.load(),
          .current_at_ms = current_at_ms_.load(),
          .current_seq = current_seq_.load(),
          .failing_since_ms = failing_since_ms_.load()};
}

RegistrySyncStats RegistrySync::Stats() const {
  return {.last_seq = last_seq_.load(),
          .behind = behind_.load(),
          .caught_up = caught_up_.load(),
          .last_success_ms = last_success_ms_.load(),
          .changes_applied = changes_applied_.load(),
          .failures = failures_.load()};
}

}  // namespace beian::agent
