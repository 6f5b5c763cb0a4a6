#include "formats/encoding.hpp"

#include <iconv.h>

#include <cerrno>

namespace mamori::formats {

Result<std::string> ConvertEncoding(std::string_view in, const char* from, const char* to,
                                    size_t* bad_offset) {
  iconv_t cd = iconv_open(to, from);
  // iconv_open reports failure as (iconv_t)-1.
  // NOLINTNEXTLINE(performance-no-int-to-ptr)
  if (cd == reinterpret_cast<iconv_t>(-1))
    return MakeError(ErrorCode::kInternal, "common.internal");
  std::string out(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());  // iconv's signature; it does not write the input
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  Status st = Ok();
  while (src_left > 0) {
    size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    if (r != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      size_t used = static_cast<size_t>(dst - out.data());
      out.resize(out.size() * 2);
      dst = out.data() + used;
      dst_left = out.size() - used;
      continue;
    }
    *bad_offset = static_cast<size_t>(src - in.data());
    st = MakeError(ErrorCode::kInvalidArgument, "import.bad_encoding");
    break;
  }
  iconv_close(cd);
  if (!st.ok()) return std::move(st).error();
  out.resize(static_cast<size_t>(dst - out.data()));
  return out;
}

}  // namespace mamori::formats
