// Upload checks with real tiny files built in the test: types by content, dimensions,
// decompression bombs, PDFs where an image is required, executables named .jpg, file names.
#include "blob/upload_check.h"

#include <gtest/gtest.h>

#include "blob/image_info.h"
#include "blob/test_files.h"

namespace beian::blob {
namespace {

using core::ErrorCode;
namespace t = testing;

TEST(ImageInfo, ReadsPngAndJpegHeaders) {
  auto png = ReadPngInfo(t::Png(320, 240));
  ASSERT_TRUE(png.has_value());
  EXPECT_EQ(png->width, 320u);
  EXPECT_EQ(png->height, 240u);
  EXPECT_EQ(png->channels, 1u);
  auto jpeg = ReadJpegInfo(t::Jpeg(1024, 768));
  ASSERT_TRUE(jpeg.has_value());
  EXPECT_EQ(jpeg->width, 1024u);
  EXPECT_EQ(jpeg->height, 768u);
  EXPECT_EQ(jpeg->channels, 3u);
  EXPECT_FALSE(ReadPngInfo(t::Jpeg(10, 10)).has_value());
  EXPECT_FALSE(ReadJpegInfo(t::Png(10, 10)).has_value());
  EXPECT_FALSE(ReadJpegInfo(std::string("\xFF\xD8\xFF\xDA\x00\x02", 6)).has_value());
  EXPECT_FALSE(ReadPngInfo(t::Png(10, 10).substr(0, 20)).has_value());
}

TEST(CheckUpload, AcceptsJpegPngAndPdfByContent) {
  auto png = CheckUpload(t::Png(400, 300), true);
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ(png->content_type, "image/png");
  EXPECT_TRUE(png->is_image);
  EXPECT_EQ(png->width, 400u);
  auto jpeg = CheckUpload(t::Jpeg(800, 600), true);
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().message;
  EXPECT_EQ(jpeg->content_type, "image/jpeg");
  auto pdf = CheckUpload(t::Pdf(), false);
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  EXPECT_EQ(pdf->content_type, "application/pdf");
  EXPECT_FALSE(pdf->is_image);
}

TEST(CheckUpload, ExecutableOrTextIsUnsupportedWhateverItsName) {
  for (const std::string& bytes :
       {t::Elf(), std::string("<html><script>alert(1)</script></html>"),
        std::string("MZ\x90\x00\x03\x00\x00\x00", 8) + std::string(120, '\0'), std::string()}) {
    auto r = CheckUpload(bytes, false);
    ASSERT_FALSE(r.ok()) << SniffContentType(bytes);
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupportedFileType) << SniffContentType(bytes);
  }
}

TEST(CheckUpload, PdfWhereAnImageIsRequired) {
  auto r = CheckUpload(t::Pdf(), true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPhotoMustBeImage);
}

TEST(CheckUpload, DecompressionBombAndOversizedSidesAreTooLarge) {
  // 10 × 10 pixels of data, a header claiming 30000 × 30000: refused from the header alone.
  const std::string bomb = t::Png(10, 10, 30000, 30000);
  EXPECT_LT(bomb.size(), 1000u);
  auto r = CheckUpload(bomb, true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kImageTooLarge);
  // Sides within the limit, but too many values in all.
  auto many = CheckUpload(t::Png(10, 10, 9000, 9000), true);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().code, ErrorCode::kImageTooLarge);
  auto wide = CheckUpload(t::Jpeg(20000, 200), true);
  ASSERT_FALSE(wide.ok());
  EXPECT_EQ(wide.error().code, ErrorCode::kImageTooLarge);
}

TEST(CheckUpload, TinyImageIsTooSmallAndDamagedImageIsUnsupported) {
  auto tiny = CheckUpload(t::Png(40, 40), true);
  ASSERT_FALSE(tiny.ok());
  EXPECT_EQ(tiny.error().code, ErrorCode::kImageTooSmall);
  std::string damaged = t::Jpeg(800, 600);
  damaged.resize(22);  // SOI + APP0 only: no frame header
  auto d = CheckUpload(damaged, true);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kUnsupportedFileType);
}

TEST(SanitizeFileName, NeverAPath) {
  EXPECT_EQ(SanitizeFileName("photo.jpg"), "photo.jpg");
  EXPECT_EQ(SanitizeFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(SanitizeFileName("C:\\Users\\a\\身份证.png"), "身份证.png");
  EXPECT_EQ(SanitizeFileName("a\nb\r\x01\x7f.pdf"), "ab.pdf");
  EXPECT_EQ(SanitizeFileName("..."), "document");
  EXPECT_EQ(SanitizeFileName(".hidden"), "hidden");
  EXPECT_EQ(SanitizeFileName("/"), "document");
  EXPECT_EQ(SanitizeFileName("bad\xff\xfe.png"), "bad.png");
  EXPECT_EQ(SanitizeFileName(std::string(300, 'a')).size(), 200u);
  EXPECT_EQ(SanitizeFileName(std::string(150, 'a') + "一二三四五六七八九十二十"),
            std::string(150, 'a') + "一二三四五六七八九十二十");
}

}  // namespace
}  // namespace beian::blob
