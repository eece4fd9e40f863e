// The version of the beian binary, from the CMake project version (one place to change it).
#pragma once

namespace beian::core {

inline constexpr char kVersion[] = BEIAN_VERSION;

}  // namespace beian::core
