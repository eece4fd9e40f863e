// The document store: content-addressed blobs behind an interface, so services never touch paths
// and tests can swap in a double. A blob is written through a BlobWriter (chunks, then Commit,
// which returns the SHA-256 of the content, lower-case hex, and makes the blob visible under it
// atomically: a reader sees the whole blob or none). A writer dropped without Commit leaves
// nothing behind (Adopt takes a file written elsewhere). Storing the same content twice yields
// one blob. Implementations are safe for
// concurrent use by many threads (and, for FileBlobStore, many processes on one folder).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace beian::blob {

class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  virtual core::Status Write(std::string_view bytes) = 0;
  virtual uint64_t size() const = 0;
  // Durable (on disk, synced) before it returns; the writer is spent afterwards.
  virtual core::Result<std::string> Commit() = 0;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  virtual core::Result<std::unique_ptr<BlobWriter>> Begin() = 0;
  // The whole content of the blob; kNotFound when there is none (or `sha256` is not 64 hex
  // digits).
  virtual core::Result<std::string> Read(std::string_view sha256) = 0;
  virtual core::Result<bool> Exists(std::string_view sha256) = 0;

  // Convenience: Begin, Write(bytes), Commit.
  core::Result<std::string> Put(std::string_view bytes);

  // Takes the complete, closed file at `path` as a blob; `sha256` is its content's hash,
  // computed while it was written (e.g. an upload streamed to disk). On success the file is
  // no longer at `path`. FileBlobStore moves it into place by rename when it is on the store's
  // file system (e.g. under <root>/tmp); this default copies it through Begin/Write/Commit and
  // removes it. kInternal when the content does not match `sha256`.
  virtual core::Result<std::string> Adopt(const std::filesystem::path& path,
                                          std::string_view sha256);
};

// True for 64 lower-case hex digits (the only names a store accepts, so no path tricks).
bool IsSha256Hex(std::string_view s);

}  // namespace beian::blob
