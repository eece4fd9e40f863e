// Text helpers: UTF-8 decoding edge cases, trimming and full-width folding.
#include "domain/validators_util.h"

#include <gtest/gtest.h>

namespace beian::domain::text {
namespace {

TEST(Utf8, DecodesAndRejectsMalformed) {
  EXPECT_EQ(DecodeUtf8("a中𠀀"), std::u32string(U"a中𠀀"));
  EXPECT_FALSE(DecodeUtf8("\xC0\xAF").has_value());          // overlong '/'
  EXPECT_FALSE(DecodeUtf8("\xED\xA0\x80").has_value());      // surrogate
  EXPECT_FALSE(DecodeUtf8("\xF4\x90\x80\x80").has_value());  // beyond U+10FFFF
  EXPECT_FALSE(DecodeUtf8("\xE4\xB8").has_value());          // truncated
  EXPECT_FALSE(DecodeUtf8("\x80").has_value());              // stray continuation
  EXPECT_EQ(EncodeUtf8(U"a中𠀀é"), "a中𠀀é");
  EXPECT_EQ(CodePointCount("a中𠀀"), 3u);
}

TEST(Text, TrimFoldNormalize) {
  EXPECT_EQ(Trim("\u3000 abc \t\u3000"), "abc");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(FoldFullWidth("ＡＢＣ１２３。．－（）"), "ABC123..-()");
  EXPECT_EQ(FoldFullWidth("中文\u3000x"), "中文 x");
  EXPECT_EQ(FoldFullWidth("\xff"), "\xff");  // invalid UTF-8 is kept as is
  EXPECT_EQ(NormalizeCode(" 1101 0519 4912 3100 2x "), "11010519491231002X");
  EXPECT_EQ(NormalizeCode("ｈ１２３"), "H123");
  EXPECT_TRUE(IsAsciiDigits("0123"));
  EXPECT_FALSE(IsAsciiDigits(""));
  EXPECT_FALSE(IsAsciiDigits("12a"));
  EXPECT_EQ(AsciiLower("AbC中"), "abc中");
  EXPECT_EQ(Split("a..b", '.'), (std::vector<std::string_view>{"a", "", "b"}));
  EXPECT_TRUE(IsHan(U'中'));
  EXPECT_TRUE(IsHan(U'𠀀'));
  EXPECT_FALSE(IsHan(U'Ａ'));
}

}  // namespace
}  // namespace beian::domain::text
