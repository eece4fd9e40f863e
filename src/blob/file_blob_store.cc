// FileBlobStore (see file_blob_store.h) and the BlobStore helpers.
#include "blob/file_blob_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/crypto.h"

namespace beian::blob {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

Error IoError(std::string what) {
  return Error(ErrorCode::kIo, std::move(what) + ": " + std::strerror(errno));
}

Status SyncDir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("open " + dir.string());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return IoError("fsync " + dir.string());
  return core::Ok();
}

class FileBlobWriter final : public BlobWriter {
 public:
  FileBlobWriter(FileBlobStore& store, fs::path temp, int fd)
      : store_(store), temp_(std::move(temp)), fd_(fd) {
    crypto_hash_sha256_init(&hash_);
  }
  ~FileBlobWriter() override {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) {
      std::error_code ec;
      fs::remove(temp_, ec);
    }
  }

  Status Write(std::string_view bytes) override {
    if (fd_ < 0) return Error(ErrorCode::kInternal, "blob writer already committed");
    crypto_hash_sha256_update(&hash_, reinterpret_cast<const unsigned char*>(bytes.data()),
                              bytes.size());
    while (!bytes.empty()) {
      ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return IoError("write " + temp_.string());
      }
      bytes.remove_prefix(static_cast<size_t>(n));
      size_ += static_cast<uint64_t>(n);
    }
    return core::Ok();
  }

  uint64_t size() const override { return size_; }

  Result<std::string> Commit() override {
    if (fd_ < 0) return Error(ErrorCode::kInternal, "blob writer already committed");
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&hash_, digest);
    const std::string hex =
        core::HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
    if (::fsync(fd_) != 0) return IoError("fsync " + temp_.string());
    ::close(fd_);
    fd_ = -1;
    const fs::path target = store_.PathOf(hex);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec)
      return Error(ErrorCode::kIo, "mkdir " + target.parent_path().string() + ": " + ec.message());
    // Same content already stored: keep the existing file (identical by construction).
    if (::rename(temp_.c_str(), target.c_str()) != 0)
      return IoError("rename to " + target.string());
    committed_ = true;
    BEIAN_TRY(SyncDir(target.parent_path()));
    return hex;
  }

 private:
  FileBlobStore& store_;
  fs::path temp_;
  int fd_;
  bool committed_ = false;
  uint64_t size_ = 0;
  crypto_hash_sha256_state hash_;
};

}  // namespace

bool IsSha256Hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::string> BlobStore::Put(std::string_view bytes) {
  BEIAN_ASSIGN_OR_RETURN(auto writer, Begin());
  BEIAN_TRY(writer->Write(bytes));
  return writer->Commit();
}

Result<std::string> BlobStore::Adopt(const fs::path& path, std::string_view sha256) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("open " + path.string());
  auto copied = [&]() -> Result<std::string> {
    BEIAN_ASSIGN_OR_RETURN(auto writer, Begin());
    char buf[64 * 1024];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        return IoError("read " + path.string());
      }
      if (n == 0) break;
      BEIAN_TRY(writer->Write(std::string_view(buf, static_cast<size_t>(n))));
    }
    return writer->Commit();
  }();
  ::close(fd);
  if (!copied) return copied;
  if (*copied != sha256) {
    return Error(ErrorCode::kInternal, "adopted file " + path.string() + " is not " +
                                           std::string(sha256) + " but " + *copied);
  }
  std::error_code ec;
  fs::remove(path, ec);
  return copied;
}

Result<std::string> FileBlobStore::Adopt(const fs::path& path, std::string_view sha256) {
  if (!IsSha256Hex(sha256)) return Error(ErrorCode::kInternal, "not a SHA-256: " + path.string());
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("open " + path.string());
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return IoError("fsync " + path.string());
  const fs::path target = PathOf(sha256);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec)
    return Error(ErrorCode::kIo, "mkdir " + target.parent_path().string() + ": " + ec.message());
  if (::rename(path.c_str(), target.c_str()) != 0) {
    if (errno == EXDEV) return BlobStore::Adopt(path, sha256);  // another file system: copy
    return IoError("rename to " + target.string());
  }
  BEIAN_TRY(SyncDir(target.parent_path()));
  return std::string(sha256);
}

Result<std::unique_ptr<FileBlobStore>> FileBlobStore::Open(const fs::path& root) {
  std::error_code ec;
  fs::create_directories(root / "tmp", ec);
  if (ec)
    return Error(ErrorCode::kIo, "cannot create " + (root / "tmp").string() + ": " + ec.message());
  fs::permissions(root, fs::perms::owner_all, fs::perm_options::replace, ec);
  return std::unique_ptr<FileBlobStore>(new FileBlobStore(fs::absolute(root)));
}

fs::path FileBlobStore::PathOf(std::string_view sha256) const {
  return root_ / std::string(sha256.substr(0, 2)) / std::string(sha256);
}

Result<std::unique_ptr<BlobWriter>> FileBlobStore::Begin() {
  const fs::path temp = root_ / "tmp" / (core::RandomId() + ".part");
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("create " + temp.string());
  return std::unique_ptr<BlobWriter>(new FileBlobWriter(*this, temp, fd));
}

Result<std::string> FileBlobStore::Read(std::string_view sha256) {
  if (!IsSha256Hex(sha256)) return Error(ErrorCode::kNotFound, "no such document");
  const fs::path path = PathOf(sha256);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Error(ErrorCode::kNotFound, "no such document");
    return IoError("open " + path.string());
  }
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return IoError("read " + path.string());
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Result<bool> FileBlobStore::Exists(std::string_view sha256) {
  if (!IsSha256Hex(sha256)) return false;
  std::error_code ec;
  bool exists = fs::is_regular_file(PathOf(sha256), ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return Error(ErrorCode::kIo, "stat " + PathOf(sha256).string() + ": " + ec.message());
  }
  return exists;
}

int FileBlobStore::RemoveStaleTemporaries(std::chrono::seconds age) {
  int removed = 0;
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (auto it = fs::directory_iterator(root_ / "tmp", ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (it->path().extension() != ".part") continue;
    std::error_code e2;
    auto t = fs::last_write_time(it->path(), e2);
    if (e2 || now - t < age) continue;
    if (fs::remove(it->path(), e2)) ++removed;
  }
  return removed;
}

}  // namespace beian::blob
