// XXH64 (Yann Collet's xxHash, 64-bit variant): the fast non-cryptographic hash the public
// look-up snapshot uses for its keys and for the checksums of its chunks (agent/public_snapshot.h).
// A small, well-known algorithm written out here (Debian's libxxhash is not a dependency);
// its published test vectors are checked in xxhash64_test.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace beian::core {

uint64_t Xxh64(const void* data, size_t size, uint64_t seed = 0);

inline uint64_t Xxh64(std::string_view s, uint64_t seed = 0) {
  return Xxh64(s.data(), s.size(), seed);
}

}  // namespace beian::core
