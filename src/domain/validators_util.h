// Text helpers shared by the validators and the rules loader: UTF-8 decoding, trimming and the
// full-width → ASCII folding that users' input methods produce (ＡＢＣ１２３, 。 as a dot).
// Pure functions; invalid UTF-8 is never an error here, it simply does not match.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace beian::domain::text {

// Code points of `s`; nullopt when `s` is not valid UTF-8.
std::optional<std::u32string> DecodeUtf8(std::string_view s);
std::string EncodeUtf8(char32_t c);
std::string EncodeUtf8(std::u32string_view s);

// Number of code points (invalid bytes count one each).
std::size_t CodePointCount(std::string_view s);

// Removes ASCII whitespace and U+3000 (ideographic space) at both ends.
std::string_view Trim(std::string_view s);

// Full-width ASCII (U+FF01..U+FF5E) → ASCII, U+3000 → space, ideographic and full-width full
// stops (。．｡) → '.', full-width hyphens (－‐‑–—) → '-'. Other text is kept as is.
std::string FoldFullWidth(std::string_view s);

// Unicode NFKC (libunistring): compatibility characters to their plain forms, so full-width
// ＡＢＣ１２３ and （） become ABC123 and (), ideographic space U+3000 a space. Invalid UTF-8 is
// returned unchanged. RULES.md decisions (2026-12-02): "Normalise" = NFKC, trim, then extras.
std::string Nfkc(std::string_view s);

// Trim(Nfkc(s)): the normalised form of free text such as a name.
std::string NormalizeText(std::string_view s);

// Trim + FoldFullWidth + ASCII upper-case + remove every space: the canonical form of codes such
// as a USCC or an ID number typed by a person.
std::string NormalizeCode(std::string_view s);

bool IsAsciiDigits(std::string_view s);
std::string AsciiLower(std::string_view s);

// Splits on `sep`, keeping empty parts.
std::vector<std::string_view> Split(std::string_view s, char sep);

// True for CJK unified ideographs (incl. extension A and compatibility ideographs).
bool IsHan(char32_t c);

}  // namespace beian::domain::text
