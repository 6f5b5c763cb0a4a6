#include "core/gzip.hpp"

#include <zlib.h>

namespace mamori {

bool IsGzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Result<std::string> Gunzip(std::string_view bytes, const std::string& file, size_t limit) {
  std::string out;
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK)  // 16: gzip wrapper only
    return MakeError(ErrorCode::kInternal, "common.gzip_bad", {file, "inflateInit2"});
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  char buf[1 << 16];
  int rc = Z_OK;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > limit) {
      inflateEnd(&zs);
      return MakeError(ErrorCode::kInvalidArgument, "common.gzip_too_large",
                       {file, std::to_string(limit >> 20)});
    }
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // the next member of a multi-member file
      continue;
    }
    if (zs.avail_in == 0 && zs.avail_out != 0) {
      rc = Z_BUF_ERROR;  // input ended inside the stream: a truncated file
      break;
    }
  }
  std::string reason = zs.msg ? zs.msg : (rc == Z_BUF_ERROR ? "truncated" : "");
  inflateEnd(&zs);
  if (rc != Z_STREAM_END)
    return MakeError(ErrorCode::kInvalidArgument, "common.gzip_bad", {file, reason});
  return out;
}

Result<std::string> MaybeGunzip(std::string bytes, const std::string& file) {
  if (!IsGzip(bytes)) return bytes;
  return Gunzip(bytes, file);
}

}  // namespace mamori
