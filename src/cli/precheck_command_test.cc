// Golden cases for `beian precheck` (tests/precheck/<case>/): case.txt names the inputs
// (application, registry, inventory, stdin, provider, today) and the expected exit code; the
// expected stdout is expected.json, and for unusable input (exit 2) `stderr=` gives text the
// error message must contain. BEIAN_UPDATE_GOLDEN=1 rewrites expected.json from the output.
#include "cli/precheck_command.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace beian::cli {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = "tests/precheck";  // tests run from the source root

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::map<std::string, std::string> ReadCase(const fs::path& file) {
  std::map<std::string, std::string> kv;
  std::istringstream in(Slurp(file));
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return kv;
}

std::vector<std::string> Cases() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kRoot)) {
    if (fs::exists(e.path() / "case.txt")) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class PrecheckGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PrecheckGoldenTest, MatchesExpected) {
  const fs::path dir = kRoot / GetParam();
  auto c = ReadCase(dir / "case.txt");
  auto path = [&](const std::string& key) -> std::string {
    auto it = c.find(key);
    if (it == c.end()) return "";
    return it->second == "-" ? "-" : (dir / it->second).string();
  };
  PrecheckOptions opt;
  opt.application_path = path("application");
  opt.registry_path = path("registry");
  opt.inventory_path = path("inventory");
  if (c.count("provider")) opt.provider = c["provider"];
  opt.today = c["today"];
  std::istringstream in(c.count("stdin") ? Slurp(dir / c["stdin"]) : "");
  std::ostringstream out, err;
  int rc = RunPrecheck(opt, in, out, err);
  EXPECT_EQ(rc, std::stoi(c.at("exit"))) << out.str() << err.str();
  if (rc == 2) {
    EXPECT_TRUE(out.str().empty());
    EXPECT_NE(err.str().find(c["stderr"]), std::string::npos) << err.str();
    return;
  }
  EXPECT_TRUE(err.str().empty()) << err.str();
  const fs::path expected = dir / "expected.json";
  if (std::getenv("BEIAN_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(expected, std::ios::binary) << out.str();
  }
  ASSERT_TRUE(fs::exists(expected)) << expected;
  EXPECT_EQ(out.str(), Slurp(expected));
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& param_info) {
  return param_info.param;
}

INSTANTIATE_TEST_SUITE_P(Cases, PrecheckGoldenTest, ::testing::ValuesIn(Cases()), CaseName);

TEST(PrecheckCommandTest, NoApplicationIsUnusable) {
  std::istringstream in;
  std::ostringstream out, err;
  EXPECT_EQ(RunPrecheck(PrecheckOptions{}, in, out, err), 2);
  EXPECT_NE(err.str().find("no application"), std::string::npos);
}

TEST(PrecheckCommandTest, EmptyStdinIsUnusable) {
  PrecheckOptions opt;
  opt.application_path = "-";
  std::istringstream in("");
  std::ostringstream out, err;
  EXPECT_EQ(RunPrecheck(opt, in, out, err), 2);
  EXPECT_NE(err.str().find("<stdin>"), std::string::npos);
}

}  // namespace
}  // namespace beian::cli
