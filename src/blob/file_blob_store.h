// BlobStore on a local (or shared network) folder, e.g. <data-dir>/blobs — never inside a folder
// that is served. Layout: <root>/<first two hex digits>/<sha256>; writes go to
// <root>/tmp/<random>.part, are fsynced, then renamed into place and the folder fsynced, so a
// process killed at any point leaves either no blob or a complete one (at worst a stray .part
// file, removed by RemoveStaleTemporaries). Files are created mode 0600, folders 0700.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include "blob/blob_store.h"

namespace beian::blob {

class FileBlobStore final : public BlobStore {
 public:
  // Creates the folders when missing. kIo when they cannot be created.
  static core::Result<std::unique_ptr<FileBlobStore>> Open(const std::filesystem::path& root);

  core::Result<std::unique_ptr<BlobWriter>> Begin() override;
  core::Result<std::string> Read(std::string_view sha256) override;
  core::Result<bool> Exists(std::string_view sha256) override;
  // By rename (fsynced first, then the folder) when `path` is on this store's file system, e.g.
  // under tmp_dir(); else copied.
  core::Result<std::string> Adopt(const std::filesystem::path& path,
                                  std::string_view sha256) override;
  // Where uploads may be written before Adopt (the .part files RemoveStaleTemporaries collects).
  std::filesystem::path tmp_dir() const { return root_ / "tmp"; }

  // Deletes .part files older than `age` (uploads that a killed process left); returns how many.
  int RemoveStaleTemporaries(std::chrono::seconds age = std::chrono::hours(1));

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path PathOf(std::string_view sha256) const;

 private:
  explicit FileBlobStore(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;
};

}  // namespace beian::blob
