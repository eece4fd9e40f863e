// Synthetic registry filings (see synthetic_registry.h).
#include "domain/synthetic_registry.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <string_view>

#include "domain/identity_validators.h"
#include "domain/uscc.h"

namespace beian::domain {
namespace {

constexpr int64_t kDayMs = int64_t{86'400'000};
constexpr int64_t kSpanMs = kDayMs * 7305;  // 20 years
constexpr uint64_t kDigits8 = 100'000'000;
// A label's code is (index · 8 + website · 2 + domain): 6 base-36 digits and 5 base-64 Han
// digits hold every code below 8 · kMaxSyntheticFilings.
static_assert(uint64_t{36} * 36 * 36 * 36 * 36 * 36 > 8 * kMaxSyntheticFilings);
static_assert(uint64_t{64} * 64 * 64 * 64 * 64 > 8 * kMaxSyntheticFilings);

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// splitmix64: a small, fast, well-mixed stream; one per filing, seeded by (seed, index).
class Rng {
 public:
  explicit Rng(uint64_t state) : s_(state) {}
  uint64_t Next() {
    s_ += 0x9E3779B97F4A7C15ULL;
    uint64_t z = s_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>((Next() >> 32) * n >> 32); }
  int64_t Between(int64_t lo, int64_t hi) {  // [lo, hi)
    if (hi <= lo) return lo;
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo));
  }
  bool Chance(uint32_t per_mille) { return Below(1000) < per_mille; }

 private:
  uint64_t s_;
};

// A seed-keyed bijection of [0, 10^8): x → a·x + b (mod 10^8) with a coprime to 10.
uint64_t Affine8(uint64_t x, uint64_t key) {
  uint64_t a = (Mix(key) % kDigits8) | 1;
  if (a % 5 == 0) a += 2;
  const uint64_t b = Mix(key ^ 0x5bd1e995) % kDigits8;
  return (a * x + b) % kDigits8;
}

// The characters of a UTF-8 string of 3-byte characters (CJK), one string each.
std::vector<std::string> Chars3(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i + 3 <= s.size(); i += 3) out.emplace_back(s.substr(i, 3));
  return out;
}

const std::vector<std::string>& HanDigits() {  // 64 common characters: a base-64 digit each
  static const auto* v = new std::vector<std::string>(
      Chars3("一二三四五六七八九十百千万东南西北中上下左右天地人和山水火木金土日月星云风雨雪花草"
             "树林春夏秋冬红黄蓝白青乐安福寿喜德信义礼智仁美好新光明"));
  return *v;
}

constexpr std::array<std::string_view, 40> kWords = {
    "华信", "天成", "龙腾", "锦程", "云帆", "金桥", "大地", "中和", "百川", "山海",
    "明德", "康乐", "美景", "同创", "星辰", "宇航", "安泰", "博远", "晨光", "德润",
    "富源", "广达", "鸿运", "嘉禾", "凯旋", "联众", "宁静", "普惠", "启明", "瑞丰",
    "盛世", "泰和", "伟业", "新锐", "逸飞", "智联", "汇通", "蓝海", "森茂", "万象"};
// No syllable is a prefix of another: a label is syllable + fixed-width code + syllable, and
// that keeps two different codes from spelling one label.
constexpr std::array<std::string_view, 40> kSyllables = {
    "hua", "xin",  "tian", "long",  "feng", "yun", "jin",  "da",   "zhong", "guo",
    "bai", "shan", "hai",  "ming",  "kang", "le",  "mei",  "tong", "song",  "wu",
    "an",  "bo",   "chen", "de",    "fu",   "bao", "jia",  "kai",  "lian",  "ning",
    "pu",  "qi",   "rui",  "sheng", "tai",  "wei", "xiao", "zhi",  "hui",   "lan"};
constexpr std::array<std::string_view, 50> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐",  "孙", "马",
    "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",  "唐", "许",
    "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘",  "于", "蒋",
    "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "欧阳"};
constexpr std::array<std::string_view, 40> kGiven = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "兰", "萍", "红",
    "建", "文", "辉", "力", "鑫", "宇", "浩", "然", "轩", "涵", "欣", "怡"};
constexpr std::array<std::string_view, 8> kIndustries = {
    "科技", "网络科技", "信息技术", "电子商务", "文化传媒", "软件", "贸易", "教育科技"};
constexpr std::array<std::string_view, 8> kSiteKinds = {"官网",     "博客", "商城",   "门户",
                                                        "服务平台", "在线", "资讯网", "社区"};

// The generator's mix of organizer types, per mille (military units are drawn apart: their
// 5-digit codes allow few).
struct TypeShare {
  std::string_view code;
  uint32_t per_mille;
};
constexpr std::array<TypeShare, 8> kTypeShares = {{{"individual", 450},
                                                   {"enterprise", 440},
                                                   {"public_institution", 30},
                                                   {"social_organization", 20},
                                                   {"private_non_enterprise", 20},
                                                   {"government", 20},
                                                   {"foundation", 10},
                                                   {"law_firm", 10}}};

// Suffix weights (ascii form); suffixes not listed weigh 1.
uint32_t SuffixWeight(std::string_view ascii) {
  if (ascii == "com") return 300;
  if (ascii == "cn") return 220;
  if (ascii == "com.cn") return 100;
  if (ascii == "net") return 80;
  if (ascii == "org" || ascii == "gov.cn" || ascii == "edu.cn") return 30;
  if (ascii == "top" || ascii == "xyz" || ascii == "org.cn" || ascii == "net.cn") return 20;
  if (ascii.starts_with("xn--")) return 10;
  return 1;
}

bool EndsWithSuffix(std::string_view name, std::string_view suffix) {
  return name == suffix || (name.size() > suffix.size() && name.ends_with(suffix) &&
                            name[name.size() - suffix.size() - 1] == '.');
}

template <size_t N>
std::string_view Pick(Rng& rng, const std::array<std::string_view, N>& a) {
  return a[rng.Below(N)];
}

std::string Base36(uint64_t x, int width) {
  constexpr std::string_view kAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out(static_cast<size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kAlphabet[x % 36];
    x /= 36;
  }
  return out;
}

std::string HanCode(uint64_t x, int width) {  // base-64 Han digits
  const auto& digits = HanDigits();
  std::string out;
  for (int i = 0; i < width; ++i) {
    out.insert(0, digits[x % 64]);
    x /= 64;
  }
  return out;
}

std::string PersonName(Rng& rng) {
  std::string name(Pick(rng, kSurnames));
  name += Pick(rng, kGiven);
  if (rng.Chance(600)) name += Pick(rng, kGiven);
  return name;
}

std::string Digits(uint64_t x, int width) {
  std::string s(static_cast<size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i) {
    s[static_cast<size_t>(i)] = static_cast<char>('0' + x % 10);
    x /= 10;
  }
  return s;
}

// A resident ID issued in `province_prefix`, unique for each `unique` < 10^8 (birth date and
// sequence carry it), with its GB 11643 check character.
std::string FakeResidentId(std::string_view province_prefix, uint64_t unique) {
  const uint64_t seq = unique % 1000;
  unique /= 1000;
  const uint64_t day = unique % 18000;  // 1940-01-01 + up to 49 years
  const uint64_t area = 101 + unique / 18000;
  using namespace std::chrono;
  const year_month_day ymd{sys_days{year{1940} / January / 1} + days{static_cast<int>(day)}};
  char birth[16];
  std::snprintf(birth, sizeof birth, "%04d%02u%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  std::string first17 = std::string(province_prefix) + Digits(area, 4) + birth + Digits(seq, 3);
  return first17 + ResidentIdCheckChar(first17).value_or('0');
}

// A USCC of the given type prefix registered in `province`, unique for each `unique` < 10^8
// (the organization code's body carries it), with both check characters.
std::string Uscc(std::string_view prefix, std::string_view province, uint64_t unique) {
  const std::string body = Digits(unique, 8);
  const std::string org = body + OrganizationCodeCheckChar(body).value_or('0');
  const std::string first17 = std::string(prefix) + std::string(province) + "0100" + org;
  return first17 + UsccCheckChar(first17).value_or('0');
}

RegistryPerson Person(Rng& rng, std::string_view province_prefix, uint64_t unique) {
  RegistryPerson p;
  p.name = PersonName(rng);
  p.id_type = "resident_id_card";
  p.id_number = FakeResidentId(province_prefix, unique);
  constexpr std::array<char, 5> kSecond = {'3', '5', '7', '8', '9'};
  p.mobile = std::string("1") + kSecond[rng.Below(5)] + Digits(rng.Next() % 1'000'000'000, 9);
  p.email = std::string(kSyllables[rng.Below(kSyllables.size())]) +
            std::to_string(rng.Below(100000)) + "@mail.example.cn";
  return p;
}

std::string OrganizerName(Rng& rng, std::string_view type, const Province& province,
                          std::string_view word) {
  const std::string& p = province.name_zh;
  if (type == "enterprise") {
    return p + std::string(word) + std::string(Pick(rng, kIndustries)) + "有限公司";
  }
  if (type == "government") {
    constexpr std::array<std::string_view, 5> k = {"市场监督管理局", "教育局", "交通运输局",
                                                   "卫生健康委员会", "文化和旅游局"};
    return p + std::string(word) + "区" + std::string(Pick(rng, k));
  }
  if (type == "public_institution") {
    constexpr std::array<std::string_view, 5> k = {"人民医院", "图书馆", "博物馆", "职业技术学院",
                                                   "气象服务中心"};
    return p + std::string(word) + std::string(Pick(rng, k));
  }
  if (type == "social_organization") return p + std::string(word) + "行业协会";
  if (type == "private_non_enterprise") return p + std::string(word) + "培训学校";
  if (type == "foundation") return p + std::string(word) + "公益基金会";
  if (type == "law_firm") return p + std::string(word) + "律师事务所";
  return p + std::string(word) + "中心";
}

}  // namespace

SyntheticRegistry::SyntheticRegistry(const Rules& rules, SyntheticRegistryOptions options)
    : rules_(rules), options_(std::move(options)) {
  if (options_.provinces.empty()) {
    for (const Province& p : rules_.provinces) provinces_.push_back(&p);
  } else {
    for (const std::string& code : options_.provinces) {
      if (const Province* p = rules_.FindProvince(code)) provinces_.push_back(p);
    }
  }
  auto add_type = [&](std::string_view code) {
    const OrganizerType* t = rules_.FindOrganizerType(code);
    if (t == nullptr || t->certificate_types.empty()) return;
    TypeChoice c;
    c.type = t;
    c.certificate_type = t->certificate_types.front();
    c.uscc_prefix = t->uscc_prefixes.empty() ? "" : t->uscc_prefixes.front();
    uint32_t total = 0;
    for (const ApprovedSuffix& s : rules_.suffixes) {
      // Open suffixes, or restricted ones listing the type; and the type's required suffixes.
      const bool allowed = s.suffix_class == SuffixClass::kOpen ||
                           std::find(s.organizer_types.begin(), s.organizer_types.end(), code) !=
                               s.organizer_types.end();
      const bool required =
          t->required_suffixes.empty() ||
          std::any_of(t->required_suffixes.begin(), t->required_suffixes.end(),
                      [&](const std::string& r) { return EndsWithSuffix(s.ascii, r); });
      if (!allowed || !required) continue;
      c.suffixes.push_back(&s);
      total += SuffixWeight(s.ascii);
      c.suffix_weights.push_back(total);
    }
    if (!c.suffixes.empty()) types_.push_back(std::move(c));
  };
  for (const TypeShare& s : kTypeShares) add_type(s.code);
  add_type("military");  // last: drawn apart
}

SyntheticFiling SyntheticRegistry::Filing(int64_t index) const {
  const uint64_t seed = options_.seed;
  Rng rng(Mix(seed) ^ Mix(static_cast<uint64_t>(index) + 0x632BE59BD9B4E019ULL));
  SyntheticFiling f;
  f.index = index;
  const Province& province = *provinces_[rng.Below(static_cast<uint32_t>(provinces_.size()))];
  f.province = province.code;

  // The organizer type: one filing in a thousand (index ≡ 999) is a military unit, when the
  // rules know the type; the others by kTypeShares.
  const TypeChoice* choice = nullptr;
  const bool military = index % 1000 == 999 && types_.back().type->code == "military";
  if (military) {
    choice = &types_.back();
  } else {
    uint32_t draw = rng.Below(1000);
    for (const TypeChoice& t : types_) {
      auto share = std::find_if(kTypeShares.begin(), kTypeShares.end(),
                                [&](const TypeShare& s) { return s.code == t.type->code; });
      if (share == kTypeShares.end()) continue;
      choice = &t;
      if (draw < share->per_mille) break;
      draw -= share->per_mille;
    }
  }
  f.organizer_type = choice->type->code;
  f.certificate_type = choice->certificate_type;
  const std::string_view word = Pick(rng, kWords);
  const uint64_t unique = Affine8(static_cast<uint64_t>(index), seed);
  const std::string& id_prefix =
      province.resident_id_prefix.empty() ? province.code : province.resident_id_prefix;
  f.person_in_charge = Person(rng, id_prefix, Affine8(static_cast<uint64_t>(index), ~seed));
  if (choice->type->is_individual) {
    f.organizer_name = f.person_in_charge.name;
    f.certificate_number = FakeResidentId(id_prefix, unique);
    f.person_in_charge.id_number = f.certificate_number;
  } else if (military) {
    // RULES.md decision 2: ^[1-9]\d{4}$; 7919 is coprime with 90000, so distinct indexes get
    // distinct codes for the first 90 million filings.
    const uint64_t n = static_cast<uint64_t>(index / 1000);
    f.certificate_number = std::to_string(10000 + (n * 7919 + seed % 90000) % 90000);
    f.organizer_name = "中国人民解放军" + f.certificate_number + "部队";
  } else {
    f.certificate_number = Uscc(choice->uscc_prefix, province.code, unique);
    f.organizer_name = OrganizerName(rng, f.organizer_type, province, word);
  }

  // Dates: the subject in the 20 years before now; later websites between it and now.
  const int64_t now = options_.now_ms;
  f.created_ms = rng.Between(now - kSpanMs, now - kDayMs);
  // 1 website (55 %), 2 (31.5 %) or 3 (13.5 %).
  int count = 1;
  if (!rng.Chance(550)) count = rng.Chance(700) ? 2 : 3;
  std::vector<int64_t> approvals{f.created_ms};
  for (int k = 1; k < count; ++k) approvals.push_back(rng.Between(f.created_ms, now - 1));
  std::sort(approvals.begin(), approvals.end());
  const bool subject_cancelled = rng.Chance(30);
  if (subject_cancelled) f.cancelled_ms = rng.Between(approvals.back() + 1, now);

  const auto& suffixes = choice->suffixes;
  const auto& weights = choice->suffix_weights;
  for (int k = 0; k < count; ++k) {
    SyntheticWebsite w;
    w.index = k + 1;
    w.approved_ms = approvals[static_cast<size_t>(k)];
    w.cancelled_ms = subject_cancelled ? f.cancelled_ms
                     : rng.Chance(50)  ? rng.Between(w.approved_ms + 1, now)
                                       : 0;
    const std::string_view site_word = k == 0 ? word : Pick(rng, kWords);
    w.name = std::string(site_word) + std::string(Pick(rng, kSiteKinds));
    w.person_in_charge =
        Person(rng, id_prefix, Affine8((static_cast<uint64_t>(index) * 3 + k) % kDigits8, seed));
    const int domain_count = rng.Chance(250) ? 2 : 1;
    for (int d = 0; d < domain_count; ++d) {
      // The label's code: (index, website, domain) at a fixed width after the first word, so
      // the words around it cannot make two labels of one seed equal (no syllable is a prefix of
      // another). It grows with the index, so a bulk load appends to the domain indexes (within
      // each first word) instead of writing all over them. A short tag of the seed at the end
      // keeps most labels of two seeds apart.
      const uint64_t code = static_cast<uint64_t>(index) * 8 + static_cast<uint64_t>(k) * 2 +
                            static_cast<uint64_t>(d);
      const uint32_t pick = rng.Below(weights.back());
      const ApprovedSuffix& suffix = *suffixes[static_cast<size_t>(
          std::upper_bound(weights.begin(), weights.end(), pick) - weights.begin())];
      if (rng.Chance(60)) {
        // An IDN label: a word and the code in Han digits.
        const std::string unicode = std::string(Pick(rng, kWords)) + HanCode(code, 5) +
                                    HanCode(Mix(seed), 1) + "." + suffix.unicode;
        if (auto n = NormalizeDomain(unicode)) {
          w.domains.push_back(std::move(*n));
          continue;
        }
      }
      std::string label = std::string(kSyllables[rng.Below(kSyllables.size())]) + Base36(code, 6) +
                          std::string(kSyllables[rng.Below(kSyllables.size())]) +
                          Base36(Mix(seed), 2);
      w.domains.push_back({label + "." + suffix.ascii, label + "." + suffix.unicode});
    }
    // In the registry's order (it answers a website's domains sorted).
    std::sort(
        w.domains.begin(), w.domains.end(),
        [](const NormalizedDomain& x, const NormalizedDomain& y) { return x.ascii < y.ascii; });
    f.websites.push_back(std::move(w));
  }
  return f;
}

}  // namespace beian::domain
