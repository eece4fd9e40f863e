// `beian admin add-provider` and `beian admin registry-add`: the authority's administration.
//   beian admin add-provider --id P --name N --callback-url URL
//     registers an access provider and prints its new HMAC key once (stored sealed).
//   beian admin registry-add --provider P FILING.json
//     writes an approved filing into the authority's registry, numbering it as an approval
//     does (RegistryService::RecordApproval), and prints the SNs — and, for a new subject, the
//     ICP password it was given (stored only as an Argon2id hash). For testing the registry
//     before the hand-over exists, and the base of the national-scale generator.
//     FILING.json: {"province":"44","organizer":{"type","name","certificate":{"type","number"},
//     "person_in_charge"?:{name,id_type,id_number,mobile,email}},"websites":[{"name",
//     "domains":[..],"person_in_charge"?}],"icp_password"?:"…"}
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <boost/json.hpp>

#include "authority/providers.h"
#include "authority/registry_service.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/rules_source.h"
#include "core/crypto.h"
#include "core/json_reader.h"
#include "store/migrations.h"

namespace beian::cli {
namespace {

namespace json = boost::json;

struct ProviderOptions {
  DataOptions data;
  authority::NewProvider provider;
};

struct RegistryAddOptions {
  DataOptions data;
  std::string provider;
  std::string file;
  std::string rules_dir;
};

int Fail(std::string_view command, const core::Error& e) {
  std::cerr << "beian admin " << command << ": " << e.message << "\n";
  for (const auto& d : e.details) {
    std::cerr << "  " << d.field << ": " << d.message << " (" << d.code << ")\n";
  }
  return 1;
}

// The authority database (schema current) and the secret key.
core::Result<std::unique_ptr<store::Database>> OpenAuthority(const DataOptions& data) {
  BEIAN_TRY(data.Prepare());
  BEIAN_ASSIGN_OR_RETURN(auto db, OpenServiceDatabase(data, "authority", 1));
  if (auto s = store::RequireCurrentSchema(*db, "authority"); !s) {
    return core::Error(s.error().code,
                       "the authority database schema is not current: run `beian migrate` first");
  }
  return db;
}

int AddProvider(const ProviderOptions& o) {
  if (!core::InitCrypto()) return 1;
  auto db = OpenAuthority(o.data);
  if (!db) return Fail("add-provider", db.error());
  auto key = o.data.SecretKey();
  if (!key) return Fail("add-provider", key.error());
  const core::PiiCipher pii(*key);
  static core::SystemClock clock;
  auto created = authority::AddProvider(**db, clock, pii, o.provider);
  if (!created) return Fail("add-provider", created.error());
  std::cout << "provider " << o.provider.id << " (" << o.provider.name << ") registered.\n"
            << "Its key, shown only this once — give it to the provider as --provider-key "
               "(BEIAN_PROVIDER_KEY):\n"
            << *created << "\n";
  return 0;
}

std::optional<domain::RegistryPerson> ReadPerson(core::JsonReader& parent) {
  core::JsonReader* r = parent.OptionalObject("person_in_charge");
  if (r == nullptr) return std::nullopt;
  domain::RegistryPerson p;
  p.name = r->OptionalString("name").value_or("");
  p.id_type = r->OptionalString("id_type").value_or("");
  p.id_number = r->OptionalString("id_number").value_or("");
  p.mobile = r->OptionalString("mobile").value_or("");
  p.email = r->OptionalString("email").value_or("");
  return p;
}

core::Result<std::pair<authority::FilingInput, std::string>> ReadFiling(const std::string& text) {
  BEIAN_ASSIGN_OR_RETURN(json::object top, core::ParseJsonObjectText(text));
  core::JsonReader r(top);
  authority::FilingInput f;
  f.province = r.RequiredNonEmptyString("province");
  core::JsonReader& org = r.RequiredObject("organizer");
  f.organizer_type = org.RequiredNonEmptyString("type");
  f.organizer_name = org.RequiredNonEmptyString("name");
  core::JsonReader& cert = org.RequiredObject("certificate");
  f.certificate_type = cert.RequiredNonEmptyString("type");
  f.certificate_number = cert.RequiredNonEmptyString("number");
  f.person_in_charge = ReadPerson(org);
  for (core::JsonReader* w : r.RequiredObjectArray("websites")) {
    authority::FilingWebsite fw;
    fw.name = w->RequiredNonEmptyString("name");
    fw.domains = w->RequiredStringArray("domains");
    fw.person_in_charge = ReadPerson(*w);
    f.websites.push_back(std::move(fw));
  }
  std::string password = r.OptionalString("icp_password").value_or("");
  BEIAN_TRY(r.Finish());
  return std::make_pair(std::move(f), std::move(password));
}

// An ICP password as the authority issues them: 12 characters, letters and digits without the
// look-alikes (0 O 1 l I).
std::string NewIcpPassword() {
  constexpr std::string_view kAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  std::string out;
  const std::string bytes = core::RandomBytes(12);
  for (unsigned char b : bytes) out.push_back(kAlphabet[b % kAlphabet.size()]);
  return out;
}

int RegistryAdd(const RegistryAddOptions& o) {
  if (!core::InitCrypto()) return 1;
  std::ifstream in(o.file);
  if (!in) return Fail("registry-add", core::Error(core::ErrorCode::kIo, "cannot read " + o.file));
  std::stringstream buf;
  buf << in.rdbuf();
  auto filing = ReadFiling(buf.str());
  if (!filing) return Fail("registry-add", filing.error());
  auto rules = LoadRulesFrom(o.rules_dir);
  if (!rules) return Fail("registry-add", rules.error());
  auto db = OpenAuthority(o.data);
  if (!db) return Fail("registry-add", db.error());
  auto key = o.data.SecretKey();
  if (!key) return Fail("registry-add", key.error());
  const core::PiiCipher pii(*key);
  static core::SystemClock clock;
  authority::RegistryService registry(**db, clock, pii, *rules);
  auto& [input, password] = *filing;
  input.provider_id = o.provider;
  const bool generated = password.empty();
  if (generated) password = NewIcpPassword();
  auto hash = core::HashPassword(password, core::PasswordCost::kInteractive);
  if (!hash) return Fail("registry-add", hash.error());
  input.icp_password_hash = *hash;
  auto approved = registry.Approve(input);
  if (!approved) return Fail("registry-add", approved.error());
  std::cout << "subject SN " << approved->subject_sn
            << (approved->new_subject ? " (new subject)" : " (subject already filed)") << "\n";
  for (const std::string& sn : approved->website_sns) std::cout << "website SN " << sn << "\n";
  if (approved->new_subject && generated) {
    std::cout << "ICP password (shown only this once): " << password << "\n";
  }
  return 0;
}

}  // namespace

void AddAuthorityAdminCommands(CLI::App& admin, int& exit_code) {
  auto p = std::make_shared<ProviderOptions>();
  auto* add = admin.add_subcommand(
      "add-provider", "Register an access provider with the authority; prints its key once");
  p->data.AddTo(*add);
  add->add_option("--id", p->provider.id, "The provider's id (a-z 0-9 _ -)")->required();
  add->add_option("--name", p->provider.name, "The provider's name")->required();
  add->add_option("--callback-url", p->provider.callback_url,
                  "The provider's agent base URL, e.g. https://beian.provider.cn")
      ->required();
  add->callback([p, &exit_code] { exit_code = AddProvider(*p); });

  auto r = std::make_shared<RegistryAddOptions>();
  auto* reg = admin.add_subcommand(
      "registry-add", "Write an approved filing into the authority's registry (SNs as approval)");
  r->data.AddTo(*reg);
  reg->add_option("--provider", r->provider, "The access provider of its websites")->required();
  reg->add_option("--rules-dir", r->rules_dir, "Directory of filing-rules files")
      ->envname("BEIAN_RULES_DIR");
  reg->add_option("file", r->file, "The filing, as JSON (see docs/operations.md)")->required();
  reg->callback([r, &exit_code] { exit_code = RegistryAdd(*r); });
}

}  // namespace beian::cli
