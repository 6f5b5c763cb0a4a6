#include "server/uploads.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.hpp"

namespace mamori::server {

namespace fs = std::filesystem;

namespace {

constexpr auto kIdle = std::chrono::hours(1);

Error UploadError(const char* key, std::vector<std::string> args, const char* field) {
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args), field);
}

}  // namespace

UploadStore::UploadStore(std::string dir, uint64_t max_bytes)
    : dir_(std::move(dir)), max_bytes_(max_bytes) {}

UploadStore::~UploadStore() {
  std::error_code ec;
  for (const auto& [id, u] : uploads_) fs::remove(u.path, ec);
}

void UploadStore::DropIdle() {
  auto now = std::chrono::steady_clock::now();
  for (auto it = uploads_.begin(); it != uploads_.end();) {
    if (now - it->second.touched > kIdle) {
      std::error_code ec;
      fs::remove(it->second.path, ec);
      it = uploads_.erase(it);
    } else {
      ++it;
    }
  }
}

Result<std::string> UploadStore::Begin(const store::Actor& actor, const std::string& file_name,
                                       uint64_t size) {
  if (dir_.empty()) return MakeError(ErrorCode::kUnavailable, "upload.not_configured");
  if (size == 0 || size > max_bytes_)
    return MakeError(ErrorCode::kTooLarge, "upload.bad_size",
                     {file_name, std::to_string(max_bytes_ >> 20)}, "size");
  std::error_code ec;
  fs::create_directories(dir_, ec);
  ::chmod(dir_.c_str(), 0700);
  std::string id = ToHex(RandomBytes(16));
  Upload u;
  u.org_id = actor.org_id;
  u.user_id = actor.user_id.value_or(0);
  u.file_name = file_name;
  u.path = (fs::path(dir_) / (id + ".part")).string();
  u.size = size;
  u.touched = std::chrono::steady_clock::now();
  {
    std::ofstream create(u.path, std::ios::binary | std::ios::trunc);
    if (!create) return MakeError(ErrorCode::kIo, "upload.cannot_write", {u.path});
  }
  std::lock_guard lock(mu_);
  DropIdle();
  uploads_.emplace(id, std::move(u));
  return id;
}

Result<UploadStore::Upload*> UploadStore::Find(const store::Actor& actor, const std::string& id) {
  auto it = uploads_.find(id);
  // Another user's upload is as unknown as a made-up id.
  if (it == uploads_.end() || it->second.org_id != actor.org_id ||
      it->second.user_id != actor.user_id.value_or(0))
    return MakeError(ErrorCode::kNotFound, "upload.not_found", {id});
  return &it->second;
}

Result<uint64_t> UploadStore::Append(const store::Actor& actor, const std::string& id,
                                     uint64_t offset, const std::string& bytes) {
  std::lock_guard lock(mu_);
  MAMORI_ASSIGN_OR_RETURN(Upload * u, Find(actor, id));
  if (offset != u->received)  // a piece lost or sent twice: the sender resumes from here
    return MakeError(ErrorCode::kConflict, "upload.bad_offset",
                     {u->file_name, std::to_string(offset), std::to_string(u->received)}, "offset");
  if (bytes.size() > u->size - u->received)
    return UploadError("upload.too_long", {u->file_name, std::to_string(u->size)}, "content");
  std::ofstream out(u->path, std::ios::binary | std::ios::app);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  if (!out) return MakeError(ErrorCode::kIo, "upload.cannot_write", {u->path});
  u->received += bytes.size();
  u->touched = std::chrono::steady_clock::now();
  return u->received;
}

Result<UploadStore::Finished> UploadStore::Take(const store::Actor& actor, const std::string& id) {
  std::lock_guard lock(mu_);
  MAMORI_ASSIGN_OR_RETURN(Upload * u, Find(actor, id));
  if (u->received != u->size)
    return UploadError("upload.incomplete",
                       {u->file_name, std::to_string(u->received), std::to_string(u->size)}, "id");
  // Under the name the user gave it (its last part), so that messages about the file name it.
  std::string base = fs::path(u->file_name).filename().string();
  if (base.empty() || base == "." || base == "..") base = "upload";
  fs::path dir = fs::path(dir_) / id;
  std::error_code ec;
  fs::create_directory(dir, ec);
  fs::rename(u->path, dir / base, ec);
  if (ec) return MakeError(ErrorCode::kIo, "upload.cannot_write", {(dir / base).string()});
  Finished f{(dir / base).string(), u->file_name};
  uploads_.erase(id);
  return f;
}

void UploadStore::Remove(const Finished& f) {
  std::error_code ec;
  fs::remove(f.path, ec);
  fs::remove(fs::path(f.path).parent_path(), ec);
}

}  // namespace mamori::server
