// Character encodings through iconv (glibc has the CP932 and EUC-JP tables Japanese systems
// use). Written around iconv only to return a Result and to name the offending byte offset.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mamori::formats {

// `in` converted from one encoding to another ("CP932", "EUC-JP", "UTF-8"); on a byte sequence
// that is not valid in `from`, an error and *bad_offset set to where it starts.
Result<std::string> ConvertEncoding(std::string_view in, const char* from, const char* to,
                                    size_t* bad_offset);

}  // namespace mamori::formats
