// BlobStore in memory: for tests and for wiring that never serves (`beian routes`). Content is
// addressed by its SHA-256 like FileBlobStore's. Thread-safe.
#pragma once

#include <sodium.h>
#include <map>
#include <mutex>

#include "blob/blob_store.h"
#include "core/crypto.h"

namespace beian::blob {

class MemoryBlobStore final : public BlobStore {
 public:
  core::Result<std::unique_ptr<BlobWriter>> Begin() override {
    return std::unique_ptr<BlobWriter>(new Writer(*this));
  }
  core::Result<std::string> Read(std::string_view sha256) override {
    std::lock_guard lock(mu_);
    auto it = blobs_.find(std::string(sha256));
    if (it == blobs_.end()) return core::Error(core::ErrorCode::kNotFound, "no such document");
    return it->second;
  }
  core::Result<bool> Exists(std::string_view sha256) override {
    std::lock_guard lock(mu_);
    return blobs_.contains(std::string(sha256));
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return blobs_.size();
  }

 private:
  class Writer final : public BlobWriter {
   public:
    explicit Writer(MemoryBlobStore& store) : store_(store) {}
    core::Status Write(std::string_view bytes) override {
      data_.append(bytes);
      return core::Ok();
    }
    uint64_t size() const override { return data_.size(); }
    core::Result<std::string> Commit() override {
      unsigned char digest[crypto_hash_sha256_BYTES];
      crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data_.data()),
                         data_.size());
      std::string hex =
          core::HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
      std::lock_guard lock(store_.mu_);
      store_.blobs_[hex] = std::move(data_);
      return hex;
    }

   private:
    MemoryBlobStore& store_;
    std::string data_;
  };

  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> blobs_;
};

}  // namespace beian::blob
