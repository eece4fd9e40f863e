// PublicLookupKey (see public_lookup.h).
#include "domain/public_lookup.h"

#include <arpa/inet.h>
#include <idn2.h>
#include <libpsl.h>
#include <unictype.h>

#include <algorithm>
#include <array>
#include <bit>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/xxhash64.h"
#include "domain/validators_util.h"

namespace beian::domain {
namespace {

// The scripts a label may combine (Unicode TS #39 "highly restrictive"): one script, or Latin with
// the scripts written together in Chinese, Japanese and Korean names. Common and Inherited
// characters (digits, the hyphen, combining marks) belong to every script.
bool AllowedScripts(const std::set<std::string>& scripts) {
  if (scripts.size() <= 1) return true;
  static const std::vector<std::set<std::string>> kAllowed{{"Latin", "Han", "Hiragana", "Katakana"},
                                                           {"Latin", "Han", "Bopomofo"},
                                                           {"Latin", "Han", "Hangul"}};
  for (const auto& allowed : kAllowed) {
    if (std::includes(allowed.begin(), allowed.end(), scripts.begin(), scripts.end())) return true;
  }
  return false;
}

// True when a label of the Unicode name mixes scripts in a way no real name does ("аpple" with a
// Cyrillic "а"): the look-alike names of phishing.
bool MixesScripts(std::string_view unicode) {
  size_t start = 0;
  while (start <= unicode.size()) {
    size_t dot = unicode.find('.', start);
    if (dot == std::string_view::npos) dot = unicode.size();
    auto cps = text::DecodeUtf8(unicode.substr(start, dot - start));
    if (cps) {
      std::set<std::string> scripts;
      for (char32_t c : *cps) {
        const uc_script_t* s = uc_script(static_cast<ucs4_t>(c));
        if (s == nullptr) continue;
        const std::string_view name = s->name;
        if (name == "Common" || name == "Inherited") continue;
        scripts.emplace(name);
      }
      if (!AllowedScripts(scripts)) return true;
    }
    start = dot + 1;
  }
  return false;
}

// Why `input`, which is not a valid host name, is not one: a code a client can act on.
const char* Diagnose(std::string_view input) {
  std::string s = text::AsciiLower(text::FoldFullWidth(text::Trim(input)));
  if (!s.empty() && s.back() == '.') s.pop_back();
  std::string bare = s;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
  }
  unsigned char buf[16];
  if (::inet_pton(AF_INET, bare.c_str(), buf) == 1 ||
      ::inet_pton(AF_INET6, bare.c_str(), buf) == 1) {
    return "domain_ip_address";
  }
  if (s.size() > 253) return "domain_too_long";
  size_t start = 0;
  while (start <= s.size()) {
    size_t dot = s.find('.', start);
    if (dot == std::string::npos) dot = s.size();
    const std::string_view label = std::string_view(s).substr(start, dot - start);
    if (label.size() > 63) return "domain_label_too_long";
    if (label.starts_with("xn--")) return "domain_punycode_invalid";
    start = dot + 1;
  }
  return "domain_invalid";
}

// The table of PublicSuffixView: every suffix of an ICANN rule of the public suffix list, in
// A-labels, with libpsl's answer for it (is it a public suffix?) and whether a wildcard rule
// hangs under it. A name's candidates that are not in the table are not public suffixes, except
// right under a wildcard; so the walk from the right stops at the first one that is not.
struct SuffixNode {
  bool is_public = false;
  bool wildcard = false;
};
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct SuffixTable {
  bool usable = false;
  std::unordered_map<std::string, SuffixNode, StringHash, std::equal_to<>> nodes;  // (building)
  // The walk's form, a trie of labels: node 0 is the root; an edge (parent node, label) → child
  // sits in an open-addressing table (load ≤ 1/2) keyed by the label's hash seeded with the
  // parent, so a step hashes one short label and reads one slot.
  struct Edge {
    uint64_t hash = 0;  // 0: an empty slot
    uint32_t parent = 0;
    uint32_t child = 0;
    uint32_t label_at = 0;  // in `labels`
    uint32_t label_size = 0;
  };
  struct Flags {
    bool is_public = false;
    bool wildcard = false;
    bool has_children = false;
  };
  std::vector<Edge> edges;
  uint64_t mask = 0;
  std::string labels;
  std::vector<Flags> flags;

  static uint64_t EdgeHash(uint32_t parent, std::string_view label) {
    const uint64_t h = core::Xxh64(label, parent);
    return h == 0 ? 1 : h;
  }
  // The child of `parent` by `label`, or 0 (the root is nobody's child).
  uint32_t Child(uint32_t parent, std::string_view label) const {
    const uint64_t h = EdgeHash(parent, label);
    for (uint64_t i = h & mask;; i = (i + 1) & mask) {
      const Edge& e = edges[i];
      if (e.hash == 0) return 0;
      if (e.hash == h && e.parent == parent &&
          std::string_view(labels).substr(e.label_at, e.label_size) == label) {
        return e.child;
      }
    }
  }
};

// Compiles the table's nodes into its trie.
void BuildTrie(SuffixTable& t) {
  std::vector<const std::string*> names;
  names.reserve(t.nodes.size());
  for (const auto& [name, node] : t.nodes) names.push_back(&name);
  // Parents (fewer labels) first.
  std::sort(names.begin(), names.end(), [](const std::string* a, const std::string* b) {
    const auto da = std::count(a->begin(), a->end(), '.');
    const auto db = std::count(b->begin(), b->end(), '.');
    return da != db ? da < db : *a < *b;
  });
  std::unordered_map<std::string_view, uint32_t> ids;
  t.flags.assign(names.size() + 1, {});
  t.flags[0].has_children = true;
  const uint64_t slots = std::bit_ceil(std::max<uint64_t>(16, names.size() * 2));
  t.edges.assign(slots, {});
  t.mask = slots - 1;
  for (size_t k = 0; k < names.size(); ++k) {
    const std::string& name = *names[k];
    const auto id = static_cast<uint32_t>(k + 1);
    ids.emplace(name, id);
    const SuffixNode& node = t.nodes.at(name);
    t.flags[id].is_public = node.is_public;
    t.flags[id].wildcard = node.wildcard;
    const size_t dot = name.find('.');
    const uint32_t parent =
        dot == std::string::npos ? 0 : ids.at(std::string_view(name).substr(dot + 1));
    t.flags[parent].has_children = true;
    const std::string_view label = std::string_view(name).substr(0, dot);
    SuffixTable::Edge e{SuffixTable::EdgeHash(parent, label), parent, id,
                        static_cast<uint32_t>(t.labels.size()),
                        static_cast<uint32_t>(label.size())};
    t.labels.append(label);
    uint64_t i = e.hash & t.mask;
    while (t.edges[i].hash != 0) i = (i + 1) & t.mask;
    t.edges[i] = e;
  }
}

// A rule of the list in A-labels, or nullopt when IDNA refuses it.
std::optional<std::string> RuleAscii(const std::string& rule) {
  const bool ascii = std::all_of(rule.begin(), rule.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return text::AsciiLower(rule);
  for (int flags : {IDN2_NONTRANSITIONAL, IDN2_TRANSITIONAL}) {
    char* out = nullptr;
    if (idn2_to_ascii_8z(rule.c_str(), &out, flags) == IDN2_OK) {
      std::string s = text::AsciiLower(out);
      idn2_free(out);
      return s;
    }
  }
  return std::nullopt;
}

SuffixTable BuildSuffixes() {
  SuffixTable t;
  const char* path = psl_builtin_filename();
  if (path == nullptr) return t;
  std::ifstream in(path);
  if (!in) return t;
  enum class Section { kBefore, kIcann, kAfter } section = Section::kBefore;
  std::vector<std::string> exact;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("===BEGIN ICANN DOMAINS===") != std::string::npos) section = Section::kIcann;
    if (line.find("===END ICANN DOMAINS===") != std::string::npos) section = Section::kAfter;
    if (section != Section::kIcann || line.starts_with("//")) continue;
    const size_t end = line.find_first_of(" \t\r");
    std::string rule = line.substr(0, end);
    if (rule.empty()) continue;
    bool wildcard = false;
    bool exception = false;
    if (rule.starts_with("!")) {
      exception = true;
      rule.erase(0, 1);
    } else if (rule.starts_with("*.")) {
      wildcard = true;
      rule.erase(0, 2);
    }
    // A rule IDNA refuses would be missing from the table: then the table is not used at all.
    auto ascii = RuleAscii(rule);
    if (!ascii || ascii->empty() || ascii->find('*') != std::string::npos) return SuffixTable{};
    for (size_t pos = 0;;) {
      t.nodes.try_emplace(ascii->substr(pos));
      const size_t dot = ascii->find('.', pos);
      if (dot == std::string::npos) break;
      pos = dot + 1;
    }
    if (wildcard) t.nodes[*ascii].wildcard = true;
    if (!wildcard && !exception) exact.push_back(*ascii);
  }
  if (section != Section::kAfter || t.nodes.empty()) return SuffixTable{};
  for (auto& [name, node] : t.nodes) {
    // A single label is the suffix whatever libpsl says (PublicSuffixOf's last resort).
    node.is_public = name.find('.') == std::string::npos || PublicSuffixOf(name) == name;
  }
  // libpsl loaded another list than this file (a newer one): do not guess.
  for (const std::string& rule : exact) {
    if (!t.nodes.at(rule).is_public) return SuffixTable{};
  }
  BuildTrie(t);
  t.nodes = {};
  t.usable = true;
  return t;
}

const SuffixTable& Suffixes() {
  static const SuffixTable table = BuildSuffixes();
  return table;
}

// Per byte: its lower-case form when it is a letter, a digit or the hyphen; 0 otherwise.
constexpr std::array<char, 256> kLdhLower = [] {
  std::array<char, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = static_cast<char>(c - 'A' + 'a');
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = static_cast<char>(c);
  t['-'] = '-';
  return t;
}();

}  // namespace

std::optional<FastKeyView> FastLookupKeyView(std::string_view input, char* buf, bool a_labels) {
  if (!input.empty() && input.back() == '.') input.remove_suffix(1);
  if (input.empty() || input.size() > kFastKeyBuffer) return std::nullopt;
  const size_t n = input.size();
  size_t label_start = 0;
  size_t labels = 1;
  size_t first_a_label = 0;  // 1-based; 0: none
  bool reserved_label = false;
  // The label ending at `end` (exclusive), already lower case in `buf`.
  const auto label_ok = [&](size_t end) {
    const size_t len = end - label_start;
    if (len == 0 || len > 63 || buf[label_start] == '-' || buf[end - 1] == '-') return false;
    if (len >= 4 && buf[label_start + 2] == '-' && buf[label_start + 3] == '-') {
      // An A-label needs IDNA (validation and the Unicode form): the full path, unless the
      // caller takes unvalidated registrable A-labels (checked below).
      if (buf[label_start] == 'x' && buf[label_start + 1] == 'n') {
        if (!a_labels) return false;
        if (first_a_label == 0) first_a_label = labels;
      } else {
        reserved_label = true;
      }
    }
    return true;
  };
  for (size_t i = 0; i < n; ++i) {
    const char c = input[i];
    if (c == '.') {
      if (!label_ok(i)) return std::nullopt;
      buf[i] = '.';
      ++labels;
      label_start = i + 1;
      continue;
    }
    const char lower = kLdhLower[static_cast<unsigned char>(c)];
    if (lower == 0) return std::nullopt;
    buf[i] = lower;
  }
  if (!label_ok(n)) return std::nullopt;
  // An all-numeric last label: an IP address or garbage (the full path says which).
  if (std::all_of(buf + label_start, buf + n, [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const std::string_view s(buf, n);
  const std::string_view suffix = PublicSuffixView(s);
  const size_t suffix_labels =
      static_cast<size_t>(std::count(suffix.begin(), suffix.end(), '.')) + 1;
  if (labels <= suffix_labels) return std::nullopt;  // a public suffix: the full path's error
  // An A-label in a subdomain label: only the full path validates it.
  if (first_a_label != 0 && first_a_label < labels - suffix_labels) return std::nullopt;
  // The registrable domain: the suffix and one label before it.
  const size_t before = n - suffix.size() - 1;  // the dot before the suffix
  const size_t dot = s.rfind('.', before - 1);
  const size_t start = dot == std::string_view::npos ? 0 : dot + 1;
  return FastKeyView{s.substr(start), first_a_label != 0, reserved_label};
}

std::optional<NormalizedDomain> FastLookupKey(std::string_view input, bool a_labels) {
  char buf[kFastKeyBuffer];
  auto key = FastLookupKeyView(input, buf, a_labels);
  if (!key) return std::nullopt;
  std::string registrable(key->ascii);
  if (key->a_labels) return NormalizedDomain{std::move(registrable), std::string()};
  return NormalizedDomain{registrable, registrable};
}

std::optional<NormalizedDomain> SuffixIdnKey(const FastKeyView& key) {
  const std::string_view registrable = key.ascii;
  const size_t dot = registrable.find('.');
  if (key.reserved_label || dot == std::string_view::npos || registrable.starts_with("xn--")) {
    return std::nullopt;
  }
  const std::string_view label = registrable.substr(0, dot);
  const std::string_view suffix = registrable.substr(dot + 1);
  // The suffix's Unicode form, or "" when IDNA refuses it (under a plain label, "a").
  thread_local std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> cache;
  auto it = cache.find(suffix);
  if (it == cache.end()) {
    if (cache.size() >= 4096) cache.clear();
    std::string unicode;
    const std::string probe = "a." + std::string(suffix);
    if (auto full = PublicLookupKey(probe); full && full->ascii == probe) {
      unicode = full->unicode.substr(2);
    }
    it = cache.emplace(std::string(suffix), std::move(unicode)).first;
  }
  if (it->second.empty()) return std::nullopt;
  std::string unicode;
  unicode.reserve(label.size() + 1 + it->second.size());
  unicode.append(label);
  unicode += '.';
  unicode += it->second;
  return NormalizedDomain{std::string(registrable), std::move(unicode)};
}

bool PublicSuffixTableInUse() { return Suffixes().usable; }

std::string_view PublicSuffixView(std::string_view ascii) {
  const SuffixTable& table = Suffixes();
  if (!table.usable) {
    // PublicSuffixOf answers a suffix of its argument (a candidate, or the last label).
    const size_t len = PublicSuffixOf(ascii).size();
    return ascii.substr(ascii.size() - std::min(len, ascii.size()));
  }
  size_t best = std::string_view::npos;  // where the longest public candidate starts
  bool parent_wildcard = false;
  uint32_t node = 0;          // the trie node of the previous (shorter) candidate
  size_t pos = ascii.size();  // where the previous candidate starts, past its dot
  for (;;) {
    const size_t dot = pos == 0 ? std::string_view::npos : ascii.rfind('.', pos - 1);
    const size_t start = dot == std::string_view::npos ? 0 : dot + 1;
    const uint32_t child =
        table.flags[node].has_children ? table.Child(node, ascii.substr(start, pos - start)) : 0;
    if (child == 0) {
      // Not in any rule: public only under a wildcard rule ("*.kawasaki.jp"), which libpsl
      // answers; no longer candidate is in a rule either.
      const std::string_view candidate = ascii.substr(start);
      if (parent_wildcard && PublicSuffixOf(candidate) == candidate) best = start;
      break;
    }
    node = child;
    if (table.flags[node].is_public) best = start;
    parent_wildcard = table.flags[node].wildcard;
    if (dot == std::string_view::npos || dot == 0) break;
    pos = dot;
  }
  if (best != std::string_view::npos) return ascii.substr(best);
  const size_t last = ascii.rfind('.');
  return last == std::string_view::npos ? ascii : ascii.substr(last + 1);
}

core::Result<NormalizedDomain> PublicLookupKey(std::string_view input, std::string_view field) {
  auto fail = [&](const char* code, const std::string& message) {
    return core::Error(core::ErrorCode::kValidationFailed, message,
                       {{std::string(field), code, message}});
  };
  if (input.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return fail("required", "a domain is required");
  }
  if (input.size() > kMaxLookupInput) return fail("domain_too_long", "a domain name is too long");
  auto info = AnalyzeDomain(input);
  if (!info) {
    const char* code = Diagnose(input);
    const std::string_view c = code;
    return fail(code, c == "domain_ip_address"         ? "an IP address is not a domain name"
                      : c == "domain_too_long"         ? "a domain name is at most 253 characters"
                      : c == "domain_label_too_long"   ? "a label of a domain name is at most 63 "
                                                         "characters"
                      : c == "domain_punycode_invalid" ? "an xn-- label is not valid punycode"
                                                       : "not a domain name");
  }
  // Plain ASCII names are one script; only internationalised names can mix.
  if (info->name.unicode != info->name.ascii && MixesScripts(info->name.unicode)) {
    return fail("domain_mixed_script", "a label mixes scripts (a look-alike name)");
  }
  if (info->registrable.ascii.empty()) {
    return fail("domain_is_public_suffix", info->name.unicode + " is a public suffix");
  }
  return info->registrable;
}

}  // namespace beian::domain
