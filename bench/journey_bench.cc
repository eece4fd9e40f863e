// journey_bench: the provider journey load driver of `make bench` (issue 7 "Performance").
// N client threads, each with one keep-alive connection, run whole journeys over HTTP against a
// running `beian serve`: create, precheck, upload the documents the precheck asks for (small real
// PNG and PDF files, distinct per journey), submit, claim, approve, backdrop, ship, verified
// photo upload, photo, claim, accept. Applicants are accounts made beforehand (scripts/bench.sh
// uses `beian admin create-user`); each client signs in once and keeps its session. Before the
// run the driver gives every applicant its own inventory through the admin API (one instance
// and as many domains as it may file), and every journey files a new certificate number and a
// domain of its own, so subject/domain conflicts never block.
// Output (stdout): one JSON object — journeys, seconds, journeys_per_s, steps {name: {count,
// p50_ms, p99_ms, max_ms}}, server_cpu_s and server_cpu_ms_per_journey (from /proc/PID/stat of
// --server-pid), errors. Progress and errors go to stderr.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "blob/test_files.h"
#include "domain/uscc.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  int clients = 16;
  std::vector<std::string> applicants;  // e-mails
  std::vector<std::string> reviewers;
  std::string admin;
  std::string password;
  double duration_s = 10;
  double warmup_s = 2;
  int domains_per_applicant = 0;  // 0: from --max-rate
  double max_rate = 1000;         // journeys/s the inventory is sized for
  int server_pid = 0;
  std::string until = "auto";  // auto | submit | all
};

// A session: the cookie and the CSRF token of one signed-in account.
struct Session {
  std::string cookie;
  std::string csrf;
};

struct Reply {
  int status = 0;
  std::string body;
  std::vector<std::string> set_cookies;
};

// One keep-alive connection; reconnects when the server closed it.
class Conn {
 public:
  Conn(std::string host, std::string port) : host_(std::move(host)), port_(std::move(port)) {}

  Reply Do(bhttp::verb method, const std::string& target, const Session* session,
           std::string body = {}, std::string content_type = "application/json") {
    for (int attempt = 0;; ++attempt) {
      try {
        if (!socket_) Open();
        bhttp::request<bhttp::string_body> req{method, target, 11};
        req.set(bhttp::field::host, host_ + ":" + port_);
        req.keep_alive(true);
        if (session != nullptr) {
          req.set(bhttp::field::cookie, session->cookie);
          if (method != bhttp::verb::get) req.set("X-CSRF-Token", session->csrf);
        }
        if (!body.empty()) req.set(bhttp::field::content_type, content_type);
        req.body() = body;
        req.prepare_payload();
        bhttp::write(*socket_, req);
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(64 << 20);
        bhttp::read(*socket_, buffer_, parser);
        auto res = parser.release();
        Reply r;
        r.status = static_cast<int>(res.result_int());
        r.body = std::move(res.body());
        for (auto it = res.find(bhttp::field::set_cookie);
             it != res.end() && it->name() == bhttp::field::set_cookie; ++it) {
          r.set_cookies.emplace_back(it->value());
        }
        if (!res.keep_alive()) socket_.reset();
        return r;
      } catch (const std::exception& e) {
        socket_.reset();
        buffer_.clear();
        if (attempt >= 1) throw;  // a stale keep-alive connection gets one retry
      }
    }
  }

 private:
  void Open() {
    tcp::resolver resolver(io_);
    socket_.emplace(io_);
    asio::connect(*socket_, resolver.resolve(host_, port_));
    socket_->set_option(tcp::no_delay(true));
  }

  std::string host_, port_;
  asio::io_context io_;
  std::optional<tcp::socket> socket_;
  beast::flat_buffer buffer_;
};

json::value Parse(const Reply& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  if (ec) return nullptr;
  return v;
}

[[noreturn]] void Fail(const std::string& what, const Reply& r) {
  throw std::runtime_error(what + ": HTTP " + std::to_string(r.status) + " " +
                           r.body.substr(0, 600));
}

Session Login(Conn& c, const std::string& email, const std::string& password) {
  Reply r = c.Do(bhttp::verb::post, "/api/v1/auth/login", nullptr,
                 json::serialize(json::object{{"email", email}, {"password", password}}));
  if (r.status != 200) Fail("login " + email, r);
  Session s;
  for (const auto& sc : r.set_cookies) {
    std::string pair = sc.substr(0, sc.find(';'));
    if (!s.cookie.empty()) s.cookie += "; ";
    s.cookie += pair;
  }
  s.csrf = json::value_to<std::string>(Parse(r).at("csrf_token"));
  return s;
}

// Latencies of one step, in microseconds.
using Samples = std::map<std::string, std::vector<int64_t>>;

// A USCC (enterprise, Beijing Haidian) whose organization code embeds `serial`: both check
// characters valid, distinct for every serial.
std::string Uscc(uint64_t serial) {
  std::string org = std::to_string(10'000'000 + serial % 90'000'000);  // 8 digits
  org += *beian::domain::OrganizationCodeCheckChar(org);
  std::string first17 = "91110108" + org;
  return first17 + *beian::domain::UsccCheckChar(first17);
}

// Real files, distinct per journey and document: a PNG with a tEXt chunk and a PDF with a comment
// naming them.
std::string UniquePng(const std::string& tag) {
  std::string png = beian::blob::testing::Png(160, 120);
  png.resize(png.size() - 12);  // drop IEND
  beian::blob::testing::PngChunk(png, "tEXt", std::string("Comment\0journey ", 16) + tag);
  beian::blob::testing::PngChunk(png, "IEND", "");
  return png;
}

std::string UniquePdf(const std::string& tag) {
  std::string pdf = beian::blob::testing::Pdf();
  pdf.insert(pdf.find('\n') + 1, "% journey " + tag + "\n");
  return pdf;
}

std::string Multipart(const std::string& boundary, const std::string& kind,
                      const std::string& subject, const std::string& file_name,
                      const std::string& type, const std::string& bytes) {
  std::string b;
  b.reserve(bytes.size() + 512);
  auto field = [&](const std::string& name, const std::string& value) {
    b += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
         value + "\r\n";
  };
  field("kind", kind);
  field("subject", subject);
  b += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
       file_name + "\"\r\nContent-Type: " + type + "\r\n\r\n";
  b += bytes;
  b += "\r\n--" + boundary + "--\r\n";
  return b;
}

const char kOrganizer[] = "北京示例科技有限公司";

struct Applicant {
  std::string email;
  Session session;
  std::string instance_id;
  std::vector<std::string> domains;
  std::atomic<size_t> next_domain{0};
};

struct Shared {
  Options opt;
  std::vector<std::unique_ptr<Applicant>> applicants;
  std::vector<Session> reviewers;
  std::atomic<uint64_t> serial{0};
  std::atomic<bool> measuring{false};
  std::atomic<bool> stop{false};
  std::atomic<int64_t> journeys{0};
  std::atomic<int64_t> errors{0};
  std::atomic<bool> exhausted{false};
  bool full = true;  // the review part too (else create → submit)
  std::mutex mu;
  Samples samples;
  std::vector<std::string> error_examples;
};

class Journey {
 public:
  Journey(Shared& s, Conn& c, Applicant& a, const Session& reviewer, Samples& samples)
      : s_(s), c_(c), a_(a), reviewer_(reviewer), samples_(samples) {}

  // false when the applicant has no domain left.
  bool Run() {
    size_t d = a_.next_domain.fetch_add(1);
    if (d >= a_.domains.size()) return false;
    const uint64_t serial = s_.serial.fetch_add(1);
    const std::string domain = a_.domains[d];
    json::object app = {
        {"organizer",
         {{"type", "enterprise"},
          {"name", kOrganizer},
          {"certificate", {{"type", "business_license"}, {"number", Uscc(serial)}}},
          {"province", "11"},
          {"address", "北京市海淀区中关村大街1号"},
          {"person_in_charge",
           {{"name", "张三"},
            {"id_type", "resident_id_card"},
            {"id_number", "110105199003071239"},
            {"mobile", "13800138000"},
            {"email", "zhang@example.com"}}}}},
        {"websites", json::array{json::object{{"name", "示例科技官网"},
                                              {"domains", json::array{json::string(domain)}},
                                              {"homepage", "https://www." + domain},
                                              {"service_content", "enterprise_portal"},
                                              {"languages", json::array{"zh-CN"}},
                                              {"instance_id", a_.instance_id}}}}};
    Reply r = Step("create", bhttp::verb::post, "/api/v1/applications", &a_.session,
                   json::serialize(app), 201);
    const std::string id = json::value_to<std::string>(Parse(r).at("id"));
    const std::string base = "/api/v1/applications/" + id;
    r = Step("precheck", bhttp::verb::post, base + "/precheck", &a_.session, "{}", 200);
    json::value pre = Parse(r);
    for (const auto& doc : pre.at("required_documents").as_array()) {
      const std::string kind = json::value_to<std::string>(doc.at("kind"));
      if (kind == "verified_photo") continue;
      const std::string subject = json::value_to<std::string>(doc.at("subject"));
      Upload("upload", base, kind, subject, serial);
    }
    Step("submit", bhttp::verb::post, base + "/submit", &a_.session, "{}", 200);
    if (!s_.full) return true;
    const std::string review = "/api/v1/review/applications/" + id;
    Step("claim", bhttp::verb::post, review + "/claim", &reviewer_, "{}", 200);
    Step("approve", bhttp::verb::post, review + "/decision", &reviewer_,
         R"({"decision":"approve","reasons":[]})", 200);
    Step("backdrop", bhttp::verb::post, base + "/backdrop", &a_.session,
         R"({"recipient":"张三","mobile":"13800138000","address":"北京市海淀区中关村大街1号"})",
         200);
    Step("ship", bhttp::verb::post, "/api/v1/review/backdrops/" + id + "/ship", &reviewer_,
         R"({"carrier":"SF Express","tracking_number":"SF)" + std::to_string(1'000'000 + serial) +
             "\"}",
         200);
    std::string photo_id = Upload("photo_upload", base, "verified_photo", "organizer", serial);
    Step("photo", bhttp::verb::post, base + "/photo", &a_.session,
         json::serialize(json::object{{"document_id", photo_id}}), 200);
    Step("claim", bhttp::verb::post, review + "/claim", &reviewer_, "{}", 200);
    Step("accept", bhttp::verb::post, review + "/photo-decision", &reviewer_,
         R"({"decision":"accept","reasons":[]})", 200);
    return true;
  }

 private:
  Reply Step(const char* name, bhttp::verb method, const std::string& target,
             const Session* session, std::string body, int want,
             std::string content_type = "application/json") {
    auto t0 = Clock::now();
    Reply r = c_.Do(method, target, session, std::move(body), std::move(content_type));
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
    if (r.status != want) Fail(std::string(name) + " " + target, r);
    if (s_.measuring.load(std::memory_order_relaxed)) samples_[name].push_back(us);
    return r;
  }

  std::string Upload(const char* step, const std::string& base, const std::string& kind,
                     const std::string& subject, uint64_t serial) {
    const bool image = kind == "id_front" || kind == "id_back" || kind == "verified_photo";
    const std::string tag = std::to_string(serial) + " " + kind + " " + subject;
    const std::string bytes = image ? UniquePng(tag) : UniquePdf(tag);
    const std::string boundary = "----beianbench" + std::to_string(serial);
    Reply r = Step(step, bhttp::verb::post, base + "/documents", &a_.session,
                   Multipart(boundary, kind, subject, kind + (image ? ".png" : ".pdf"),
                             image ? "image/png" : "application/pdf", bytes),
                   201, "multipart/form-data; boundary=" + boundary);
    return json::value_to<std::string>(Parse(r).at("id"));
  }

  Shared& s_;
  Conn& c_;
  Applicant& a_;
  const Session& reviewer_;
  Samples& samples_;
};

// Runs fn(i) for i in [0, n) on `threads` threads.
template <typename Fn>
void Parallel(int threads, size_t n, Fn fn) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  std::mutex err_mu;
  std::string err;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      try {
        for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
      } catch (const std::exception& e) {
        std::lock_guard lock(err_mu);
        err = e.what();
        next = n;
      }
    });
  }
  for (auto& t : pool) t.join();
  if (!err.empty()) throw std::runtime_error(err);
}

double ServerCpuSeconds(int pid) {
  if (pid <= 0) return 0;
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(text.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  // After ")": state is field 3; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--port") {
      o.port = value();
    } else if (a == "--clients") {
      o.clients = std::stoi(value());
    } else if (a == "--applicants") {
      o.applicants = SplitList(value());
    } else if (a == "--reviewers") {
      o.reviewers = SplitList(value());
    } else if (a == "--admin") {
      o.admin = value();
    } else if (a == "--password") {
      o.password = value();
    } else if (a == "--duration") {
      o.duration_s = std::stod(value());
    } else if (a == "--warmup") {
      o.warmup_s = std::stod(value());
    } else if (a == "--domains-per-applicant") {
      o.domains_per_applicant = std::stoi(value());
    } else if (a == "--max-rate") {
      o.max_rate = std::stod(value());
    } else if (a == "--server-pid") {
      o.server_pid = std::stoi(value());
    } else if (a == "--until") {
      o.until = value();
    } else {
      throw std::runtime_error("unknown option " + a);
    }
  }
  if (o.port.empty() || o.applicants.empty() || o.admin.empty() || o.password.empty()) {
    throw std::runtime_error(
        "usage: journey_bench --port P --applicants a@x,b@x --reviewers r@x --admin adm@x "
        "--password PW [--clients 16] [--duration 10] [--warmup 2] [--server-pid PID] "
        "[--until auto|submit|all] [--max-rate 1000 | --domains-per-applicant K]");
  }
  if (o.until != "submit" && o.reviewers.empty()) throw std::runtime_error("--reviewers needed");
  return o;
}

double Percentile(std::vector<int64_t>& v, double p) {
  if (v.empty()) return 0;
  size_t k = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]) / 1000.0;
}

int Main(int argc, char** argv) {
  Shared s;
  s.opt = ParseArgs(argc, argv);
  // Certificate numbers differ from those of earlier runs against the same database.
  s.serial = static_cast<uint64_t>(std::time(nullptr)) * 1000 % 80'000'000;
  const Options& o = s.opt;
  const auto n_app = o.applicants.size();
  const int per_applicant = o.domains_per_applicant > 0
                                ? o.domains_per_applicant
                                : static_cast<int>(o.max_rate * (o.duration_s + o.warmup_s + 1) /
                                                   static_cast<double>(n_app)) +
                                      2;
  const std::string stamp =
      std::to_string(::getpid()) + std::to_string(std::time(nullptr) % 100000);

  // Sign-ins: one per account for the whole run (each is an Argon2id verification).
  std::cerr << "signing in " << n_app << " applicants, " << o.reviewers.size()
            << " reviewers and the admin…\n";
  Conn setup(o.host, o.port);
  Session admin = Login(setup, o.admin, o.password);
  for (const auto& r : o.reviewers) s.reviewers.push_back(Login(setup, r, o.password));
  for (size_t i = 0; i < n_app; ++i) {
    auto a = std::make_unique<Applicant>();
    a->email = o.applicants[i];
    a->instance_id = "i-bench-" + stamp + "-" + std::to_string(i);
    for (int d = 0; d < per_applicant; ++d) {
      a->domains.push_back("b" + stamp + "-" + std::to_string(i) + "-" + std::to_string(d) + ".cn");
    }
    s.applicants.push_back(std::move(a));
  }
  Parallel(4, n_app, [&](size_t i) {
    thread_local Conn c(o.host, o.port);
    s.applicants[i]->session = Login(c, s.applicants[i]->email, o.password);
  });

  // Has the review API landed? (auto: GET /review/reasons answers 200.)
  if (o.until == "submit") {
    s.full = false;
  } else if (o.until == "auto") {
    Reply r = setup.Do(bhttp::verb::get, "/api/v1/review/reasons", &s.reviewers.front());
    s.full = r.status == 200;
    if (!s.full)
      std::cerr << "no review API yet (GET /review/reasons: " << r.status
                << "): journeys run create → submit only\n";
  }

  std::cerr << "inventory: " << n_app << " instances, " << n_app * per_applicant
            << " domains via the admin API…\n";
  Parallel(4, n_app * (1 + static_cast<size_t>(per_applicant)), [&](size_t k) {
    thread_local Conn c(o.host, o.port);
    Applicant& a = *s.applicants[k % n_app];
    size_t which = k / n_app;
    Reply r;
    if (which == 0) {
      r = c.Do(bhttp::verb::post, "/api/v1/admin/inventory/instances", &admin,
               json::serialize(json::object{{"owner_email", a.email},
                                            {"id", a.instance_id},
                                            {"product", "ecs"},
                                            {"region", "cn-beijing"},
                                            {"mainland", true},
                                            {"public_ip", "47.95.10.1"},
                                            {"billing", "subscription"},
                                            {"expires_at", "2029-12-31"},
                                            {"service_codes_total", 1000}}));
    } else {
      r = c.Do(bhttp::verb::post, "/api/v1/admin/inventory/domains", &admin,
               json::serialize(json::object{{"owner_email", a.email},
                                            {"name", a.domains[which - 1]},
                                            {"holder_name", kOrganizer},
                                            {"real_name_verified", true},
                                            {"registrar", "bench"},
                                            {"expires_at", "2029-12-31"}}));
    }
    if (r.status != 201) Fail("inventory for " + a.email, r);
  });

  std::cerr << "running " << o.clients << " clients: " << o.warmup_s << " s warm-up, "
            << o.duration_s << " s measured…\n";
  std::vector<Samples> per_thread(static_cast<size_t>(o.clients));
  std::vector<std::thread> clients;
  for (int t = 0; t < o.clients; ++t) {
    clients.emplace_back([&, t] {
      Conn c(o.host, o.port);
      Applicant& a = *s.applicants[static_cast<size_t>(t) % n_app];
      const Session& reviewer = s.reviewers.empty()
                                    ? a.session
                                    : s.reviewers[static_cast<size_t>(t) % s.reviewers.size()];
      Journey j(s, c, a, reviewer, per_thread[static_cast<size_t>(t)]);
      while (!s.stop.load()) {
        try {
          if (!j.Run()) {
            s.exhausted = true;
            return;
          }
          if (s.measuring.load()) s.journeys.fetch_add(1);
        } catch (const std::exception& e) {
          if (s.measuring.load()) s.errors.fetch_add(1);
          std::lock_guard lock(s.mu);
          if (s.error_examples.size() < 5) s.error_examples.emplace_back(e.what());
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup_s));
  const double cpu0 = ServerCpuSeconds(o.server_pid);
  const double self0 = ProcessCpuSeconds();
  const auto t0 = Clock::now();
  s.measuring = true;
  std::this_thread::sleep_for(std::chrono::duration<double>(o.duration_s));
  s.measuring = false;
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu1 = ServerCpuSeconds(o.server_pid);
  const double self1 = ProcessCpuSeconds();
  const int64_t journeys = s.journeys.load();
  s.stop = true;
  for (auto& t : clients) t.join();

  Samples all;
  for (auto& p : per_thread) {
    for (auto& [name, v] : p) all[name].insert(all[name].end(), v.begin(), v.end());
  }
  json::object steps;
  for (const char* name : {"create", "precheck", "upload", "submit", "claim", "approve", "backdrop",
                           "ship", "photo_upload", "photo", "accept"}) {
    auto it = all.find(name);
    if (it == all.end()) continue;
    auto& v = it->second;
    int64_t mx = v.empty() ? 0 : *std::max_element(v.begin(), v.end());
    steps[name] = {{"count", v.size()},
                   {"p50_ms", Percentile(v, 0.50)},
                   {"p99_ms", Percentile(v, 0.99)},
                   {"max_ms", static_cast<double>(mx) / 1000.0}};
  }
  json::object out{{"clients", o.clients},
                   {"applicants", n_app},
                   {"reviewers", o.reviewers.size()},
                   {"scope", s.full ? "full" : "create_to_submit"},
                   {"journeys", journeys},
                   {"seconds", seconds},
                   {"journeys_per_s", static_cast<double>(journeys) / seconds},
                   {"errors", s.errors.load()},
                   {"inventory_exhausted", s.exhausted.load()},
                   {"steps", std::move(steps)},
                   {"driver_cpu_s", self1 - self0}};
  if (o.server_pid > 0) {
    out["server_cpu_s"] = cpu1 - cpu0;
    out["server_cpu_ms_per_journey"] =
        journeys > 0 ? (cpu1 - cpu0) * 1000.0 / static_cast<double>(journeys) : 0.0;
  }
  json::array examples;
  for (const auto& e : s.error_examples) examples.emplace_back(e);
  out["error_examples"] = std::move(examples);
  std::cout << json::serialize(out) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "journey_bench: " << e.what() << "\n";
    return 2;
  }
}
