// FileBlobStore on a temporary folder: content addressing, atomic commit, abandoned writers,
// stale temporaries, names that are not hashes.
#include "blob/file_blob_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "core/crypto.h"

namespace beian::blob {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;

class FileBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(core::InitCrypto());
    std::string tmpl = (fs::temp_directory_path() / "beian-blob-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = FileBlobStore::Open(dir_ / "blobs");
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override { fs::remove_all(dir_); }

  size_t TempFiles() const {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir_ / "blobs" / "tmp")) n += e.is_regular_file();
    return n;
  }

  fs::path dir_;
  std::unique_ptr<FileBlobStore> store_;
};

TEST_F(FileBlobStoreTest, PutReturnsTheSha256AndReadsBack) {
  auto hash = store_->Put("abc");
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(*hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto exists = store_->Exists(*hash);
  ASSERT_TRUE(exists.ok());
  EXPECT_TRUE(*exists);
  auto content = store_->Read(*hash);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(*content, "abc");
  EXPECT_TRUE(fs::is_regular_file(dir_ / "blobs" / "ba" / *hash));
  struct stat st {};
  ASSERT_EQ(::stat(store_->PathOf(*hash).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(TempFiles(), 0u);
  // The same content again: the same blob.
  EXPECT_EQ(*store_->Put("abc"), *hash);
}

TEST_F(FileBlobStoreTest, ChunkedWritesHashTheWholeStream) {
  auto writer = store_->Begin();
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write("a").ok());
  ASSERT_TRUE((*writer)->Write("bc").ok());
  EXPECT_EQ((*writer)->size(), 3u);
  EXPECT_EQ(TempFiles(), 1u);
  auto hash = (*writer)->Commit();
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(*hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_FALSE((*writer)->Commit().ok());
}

TEST_F(FileBlobStoreTest, AbandonedWriterLeavesNothing) {
  {
    auto writer = store_->Begin();
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Write(std::string(100000, 'x')).ok());
    EXPECT_EQ(TempFiles(), 1u);
  }
  EXPECT_EQ(TempFiles(), 0u);
  size_t blobs = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "blobs"))
    blobs += e.is_regular_file();
  EXPECT_EQ(blobs, 0u);
}

TEST_F(FileBlobStoreTest, MissingOrMalformedNamesAreNotFound) {
  const std::string absent(64, 'a');
  auto r = store_->Read(absent);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(*store_->Exists(absent));
  for (const std::string& bad : std::vector<std::string>{"../secret", "", std::string(64, 'A'),
                                                         std::string(63, 'a') + "/"}) {
    auto b = store_->Read(bad);
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.error().code, ErrorCode::kNotFound);
    EXPECT_FALSE(*store_->Exists(bad));
  }
}

TEST_F(FileBlobStoreTest, StaleTemporariesAreRemovedFreshOnesKept) {
  const fs::path stale = dir_ / "blobs" / "tmp" / "old.part";
  const fs::path fresh = dir_ / "blobs" / "tmp" / "new.part";
  std::ofstream(stale) << "half";
  std::ofstream(fresh) << "half";
  fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(2));
  EXPECT_EQ(store_->RemoveStaleTemporaries(), 1);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(fresh));
}

}  // namespace
}  // namespace beian::blob
