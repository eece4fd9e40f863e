// Precheck on a typical two-website enterprise application (issue 3: target under 50 µs), with
// a registry and an inventory in memory, and the strict JSON parse that precedes it in the API.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "domain/application_json.h"
#include "domain/precheck.h"
#include "domain/rules_loader.h"

namespace {

using namespace beian::domain;
using namespace std::chrono;

const Rules& TheRules() {
  static const Rules rules = [] {
    auto r = LoadEmbeddedRules();
    if (!r.ok()) {
      std::cerr << r.error().message << "\n";
      std::abort();
    }
    return *r;
  }();
  return rules;
}

Application TwoWebsites() {
  Application app;
  app.organizer = {"enterprise",
                   "北京示例科技有限公司",
                   {"business_license", "91110108MA01ABCD5T"},
                   "11",
                   "北京市海淀区中关村大街1号",
                   {"张三", "resident_id_card", "110105199003071239", "13800138000",
                    "zhang@example.com", std::nullopt}};
  Website a;
  a.name = "示例科技官网";
  a.domains = {"www.example.com"};
  a.homepage = "https://www.example.com";
  a.service_content = "enterprise_portal";
  a.languages = {"zh-CN"};
  a.instance_id = "i-bj-001";
  a.person_in_charge = {"李四",        "resident_id_card", "44030419920115452X",
                        "13900139000", "li@example.com",   std::nullopt};
  Website b = a;
  b.name = "示例商城";
  b.domains = {"example-shop.cn"};
  b.homepage = "https://example-shop.cn";
  b.service_content = "e_commerce";
  app.websites = {a, b};
  return app;
}

struct World {
  InMemoryRegistry registry;
  InMemoryInventory inventory;
  World() {
    registry.AddSubject(
        {"business_license", "91310000MA1FL0000X", "上海另一家公司", "31", "沪ICP备2019000002号"});
    registry.AddWebsite({"other.com", "沪ICP备2019000002号-1", "沪ICP备2019000002号", {"beian"}});
    inventory.AddInstance(
        {"i-bj-001", "cn-beijing", true, true, "subscription", 2026y / June / 1, 5, 1});
    inventory.AddDomain({"example.com", "北京示例科技有限公司", true, 2027y / January / 1});
    inventory.AddDomain({"example-shop.cn", "北京示例科技有限公司", true, 2027y / January / 1});
  }
};

void BM_PrecheckTwoWebsites(benchmark::State& state) {
  const Rules& rules = TheRules();
  World world;
  Application app = TwoWebsites();
  for (auto _ : state) {
    PrecheckResult r =
        Precheck(app, world.registry, &world.inventory, rules, 2025y / June / 2, "beian");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PrecheckTwoWebsites);

void BM_ParseAndPrecheckTwoWebsites(benchmark::State& state) {
  const Rules& rules = TheRules();
  World world;
  std::string text = boost::json::serialize(ToJson(TwoWebsites()));
  for (auto _ : state) {
    auto app = ApplicationFromJsonText(text);
    PrecheckResult r =
        Precheck(*app, world.registry, &world.inventory, rules, 2025y / June / 2, "beian");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ParseAndPrecheckTwoWebsites);

}  // namespace

BENCHMARK_MAIN();
