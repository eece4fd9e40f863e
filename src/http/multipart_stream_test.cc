// Tests of the streaming multipart/form-data parser: the same form however the body is cut into
// pieces, files on disk with their hash and head, the bodies ParseMultipartBody refuses, and no
// file left behind when a body fails, is abandoned, or its form is dropped.
#include "http/multipart_stream.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/crypto.h"

namespace beian::http {
namespace {

namespace fs = std::filesystem;

const std::string kType = "multipart/form-data; boundary=----WebKitFormBoundaryABC123";

std::string Body(const std::string& binary) {
  return "------WebKitFormBoundaryABC123\r\n"
         "Content-Disposition: form-data; name=\"kind\"\r\n\r\n"
         "business_license\r\n"
         "------WebKitFormBoundaryABC123\r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"营业执照 (1).png\"\r\n"
         "Content-Type: image/png\r\n\r\n" +
         binary + "\r\n------WebKitFormBoundaryABC123--\r\n";
}

// A binary payload with CRLFs, NULs and things that look like the start of a boundary.
std::string Binary(size_t n) {
  std::string out("\x89PNG\r\n\x1a\n\0\0\r\n--not-a-boundary\r\n------WebKitFormBoundaryABC12", 60);
  while (out.size() < n) out += static_cast<char>((out.size() * 131) & 0xFF);
  out.resize(n);
  return out;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string Sha256Hex(std::string_view s) {
  core::Sha256 h;
  h.Update(s);
  return h.FinalHex();
}

class MultipartStreamTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("beian-mps-" + std::to_string(::getpid()) + "-" + core::RandomId());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  size_t FilesInDir() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {}));
  }

  std::unique_ptr<MultipartStreamParser> Parser(size_t head = 1024 * 1024,
                                                MultipartLimits limits = {}) {
    auto p = MultipartStreamParser::Create(
        kType, {.spool_dir = dir_, .limits = limits, .field_limit = 64, .head_bytes = head});
    EXPECT_TRUE(p.ok());
    return p.ok() ? std::move(*p) : nullptr;
  }

  fs::path dir_;
};

TEST_F(MultipartStreamTest, SameFormWhateverThePieces) {
  const std::string binary = Binary(5000);
  const std::string body = Body(binary);
  for (size_t piece : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{38}, size_t{39},
                       size_t{40}, size_t{512}, body.size()}) {
    auto parser = Parser(100);
    for (size_t i = 0; i < body.size(); i += piece) parser->Feed(body.substr(i, piece));
    auto form = parser->Finish();
    ASSERT_TRUE(form.ok()) << "piece " << piece << ": " << form.error().message;
    ASSERT_EQ((*form)->fields.size(), 1u);
    EXPECT_EQ((*form)->fields[0].name, "kind");
    EXPECT_EQ((*form)->fields[0].data, "business_license");
    const StreamedFile* file = (*form)->FindFile("file");
    ASSERT_NE(file, nullptr);
    EXPECT_EQ(file->filename, "营业执照 (1).png");
    EXPECT_EQ(file->content_type, "image/png");
    EXPECT_EQ(file->size, binary.size());
    EXPECT_EQ(file->sha256, Sha256Hex(binary));
    EXPECT_EQ(file->head, binary.substr(0, 100));
    EXPECT_EQ(file->path.parent_path(), dir_);
    EXPECT_EQ(file->path.extension(), ".part");
    EXPECT_EQ(ReadFile(file->path), binary) << "piece " << piece;
    const fs::path path = file->path;
    form->reset();  // the form owns its files
    EXPECT_FALSE(fs::exists(path));
  }
  EXPECT_EQ(FilesInDir(), 0u);
}

TEST_F(MultipartStreamTest, PreambleEmptyFileAndPartWithoutHeadersFail) {
  auto parser = Parser();
  parser->Feed(
      "ignored preamble\r\n------WebKitFormBoundaryABC123\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n"
      "\r\n------WebKitFormBoundaryABC123--");
  auto form = parser->Finish();
  ASSERT_TRUE(form.ok()) << form.error().message;
  ASSERT_EQ((*form)->files.size(), 1u);
  EXPECT_EQ((*form)->files[0].size, 0u);
  EXPECT_EQ((*form)->files[0].sha256, Sha256Hex(""));

  auto headerless = Parser();
  headerless->Feed("------WebKitFormBoundaryABC123\r\n\r\nx\r\n------WebKitFormBoundaryABC123--");
  auto bad = headerless->Finish();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kBadRequest);
}

TEST_F(MultipartStreamTest, MalformedBodiesAreBadRequestsAndLeaveNoFile) {
  const std::string binary = Binary(3000);
  std::vector<std::pair<std::string, std::string>> cases = {
      {"unterminated", Body(binary).substr(0, 2500)},
      {"no boundary", "just some bytes"},
      {"not form-data",
       "------WebKitFormBoundaryABC123\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx"
       "\r\n------WebKitFormBoundaryABC123--"},
      {"bad boundary line", "------WebKitFormBoundaryABC123xx\r\n"},
      {"field over its limit",
       "------WebKitFormBoundaryABC123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" +
           std::string(65, 'a') + "\r\n------WebKitFormBoundaryABC123--"},
      {"header over its limit",
       "------WebKitFormBoundaryABC123\r\nX-Pad: " + std::string(9000, 'p') + "\r\n\r\nx"},
  };
  for (const auto& [name, body] : cases) {
    auto parser = Parser();
    parser->Feed(body);
    auto form = parser->Finish();
    ASSERT_FALSE(form.ok()) << name;
    EXPECT_EQ(form.error().code, core::ErrorCode::kBadRequest) << name;
    EXPECT_EQ(FilesInDir(), 0u) << name;
  }
  EXPECT_EQ(MultipartStreamParser::Create("application/json", {.spool_dir = dir_}).error().code,
            core::ErrorCode::kUnsupportedMediaType);
}

TEST_F(MultipartStreamTest, TooManyPartsFailsAtOnceAndRemovesTheFilesSoFar) {
  std::string body;
  for (int i = 0; i < 5; ++i) {
    body += "------WebKitFormBoundaryABC123\r\nContent-Disposition: form-data; name=\"f" +
            std::to_string(i) + "\"; filename=\"x\"\r\n\r\ndata\r\n";
  }
  auto parser = Parser(1024, {.max_parts = 3});
  parser->Feed(body);
  EXPECT_EQ(FilesInDir(), 0u);
  parser->Feed("------WebKitFormBoundaryABC123--");  // ignored after the failure
  auto form = parser->Finish();
  ASSERT_FALSE(form.ok());
  EXPECT_NE(form.error().message.find("too many parts"), std::string::npos);
}

TEST_F(MultipartStreamTest, AnAbandonedBodyLeavesNoFile) {
  {
    auto parser = Parser();
    parser->Feed(Body(Binary(100000)).substr(0, 60000));
    EXPECT_EQ(FilesInDir(), 1u);  // being written
  }
  EXPECT_EQ(FilesInDir(), 0u);
}

}  // namespace
}  // namespace beian::http
