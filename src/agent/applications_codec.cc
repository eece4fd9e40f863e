// Sealing, opening and masking of stored applications (see applications_codec.h).
#include "agent/applications_codec.h"

#include <chrono>
#include <cstdio>

#include "core/time_text.h"
#include "domain/application_json.h"
#include "domain/registry_view.h"

namespace beian::agent {
namespace {

namespace json = boost::json;
using core::Error;
using core::ErrorCode;
using core::Result;

constexpr std::string_view kIdColumn = "applications.id_number";
constexpr std::string_view kMobileColumn = "applications.mobile";
constexpr std::string_view kCertificateColumn = "applications.certificate_number";
constexpr std::string_view kIcpPasswordColumn = "applications.icp_password";

// Applies `f(member_name, string_value&, parent)` to every string member of every object in `v`.
template <typename F>
void WalkStrings(json::value& v, F& f) {
  if (json::object* o = v.if_object()) {
    for (auto& [key, member] : *o) {
      if (member.is_string()) {
        f(std::string_view(key), member, *o);
      } else {
        WalkStrings(member, f);
      }
    }
  } else if (json::array* a = v.if_array()) {
    for (json::value& item : *a) WalkStrings(item, f);
  }
}

// The column a member's value is sealed under, or "" when it stays clear.
std::string_view SealedColumn(std::string_view key, const json::object& parent,
                              const json::object* certificate) {
  if (key == "id_number") return kIdColumn;
  if (key == "mobile") return kMobileColumn;
  if (key == "number" && &parent == certificate) return kCertificateColumn;
  return {};
}

const json::object* CertificateOf(const json::value& app) {
  const json::object* o = app.if_object();
  if (!o) return nullptr;
  const json::value* org = o->if_contains("organizer");
  if (!org || !org->is_object()) return nullptr;
  const json::value* cert = org->get_object().if_contains("certificate");
  return cert ? cert->if_object() : nullptr;
}

}  // namespace

std::string SealApplicationBody(const domain::Application& app, const std::string& icp_password,
                                const core::PiiCipher& pii) {
  json::value doc = domain::ToJson(app);
  const json::object* cert = CertificateOf(doc);
  auto seal = [&](std::string_view key, json::value& value, const json::object& parent) {
    const std::string_view column = SealedColumn(key, parent, cert);
    if (column.empty()) return;
    const std::string clear(value.get_string());
    if (!clear.empty()) value = pii.Seal(clear, column);
  };
  WalkStrings(doc, seal);
  json::object body{{"application", std::move(doc)}};
  if (!icp_password.empty()) body["icp_password"] = pii.Seal(icp_password, kIcpPasswordColumn);
  return json::serialize(body);
}

Result<OpenedBody> OpenApplicationBody(const store::ApplicationRecord& record,
                                       const core::PiiCipher& pii) {
  boost::system::error_code ec;
  json::value body = json::parse(record.body, ec);
  if (ec || !body.is_object() || !body.get_object().contains("application")) {
    return Error(ErrorCode::kInternal, "stored application " + record.id + " is unreadable");
  }
  json::value& doc = body.get_object()["application"];
  const json::object* cert = CertificateOf(doc);
  std::optional<Error> failure;
  auto open = [&](std::string_view key, json::value& value, const json::object& parent) {
    const std::string_view column = SealedColumn(key, parent, cert);
    if (column.empty() || value.get_string().empty() || failure) return;
    auto clear = pii.Open(std::string_view(value.get_string()), column);
    if (!clear) {
      failure = Error(ErrorCode::kInternal,
                      "stored application " + record.id + ": a sealed value does not open");
      return;
    }
    value = *clear;
  };
  WalkStrings(doc, open);
  if (failure) return *failure;
  BEIAN_ASSIGN_OR_RETURN(domain::Application app, domain::ApplicationFromJson(doc));
  app.id = record.id;
  app.version = record.version;
  app.state = record.state;
  app.filing_type = record.filing_type;
  app.province = record.province;
  OpenedBody out{std::move(app), {}};
  if (const json::value* pw = body.get_object().if_contains("icp_password");
      pw && pw->is_string()) {
    BEIAN_ASSIGN_OR_RETURN(out.icp_password,
                           pii.Open(std::string_view(pw->get_string()), kIcpPasswordColumn));
  }
  return out;
}

std::string CertificateHash(const std::string& number, const core::PiiCipher& pii) {
  if (number.empty()) return "";
  return pii.LookupHash(domain::CanonicalCertificateKey(number), kCertificateColumn);
}

void MaskApplicationJson(json::object& app, const domain::Rules& rules) {
  json::value doc(std::move(app));
  const json::object* cert = CertificateOf(doc);
  const bool identity_certificate =
      cert && cert->contains("type") && cert->at("type").is_string() &&
      rules.IsIdentityDocumentType(std::string_view(cert->at("type").get_string()));
  auto mask = [&](std::string_view key, json::value& value, const json::object& parent) {
    const std::string_view column = SealedColumn(key, parent, cert);
    const std::string_view clear = value.get_string();
    if (column == kIdColumn || (column == kCertificateColumn && identity_certificate)) {
      value = core::MaskIdentityNumber(clear);
    } else if (column == kMobileColumn) {
      value = core::MaskMobile(clear);
    }
  };
  WalkStrings(doc, mask);
  app = std::move(doc.get_object());
}

json::object ApplicationView(const domain::Application& app, const store::ApplicationRecord& r,
                             bool masked, const domain::Rules& rules) {
  json::object out = domain::ToJson(app);
  out["id"] = r.id;
  out["version"] = r.version;
  out["state"] = r.state;
  out["province"] = r.province;
  out["filing_type"] = r.filing_type.empty() ? json::value(nullptr) : json::value(r.filing_type);
  if (masked) MaskApplicationJson(out, rules);
  out["created_at"] = core::FormatRfc3339(r.created_at_ms);
  out["updated_at"] = core::FormatRfc3339(r.updated_at_ms);
  out["state_entered_at"] = core::FormatRfc3339(r.state_entered_at_ms);
  out["sla_deadline"] = r.sla_deadline_ms ? json::value(core::FormatRfc3339(*r.sla_deadline_ms))
                                          : json::value(nullptr);
  return out;
}

}  // namespace beian::agent
