// Large files sent to the server in pieces: an offline vulnerability bundle is hundreds of
// megabytes, more than one request body may hold (the body limit guards every endpoint, and the
// CSRF defence takes JSON only). The browser sends it in base64 pieces at known offsets into a
// file under the upload directory; the finished file is handed to the capability by path.
// Uploads live in memory for the server's life (an interrupted one is started again), belong to
// the user and organisation that began them, and are removed when taken or after an hour idle.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "core/result.hpp"
#include "store/tx.hpp"

namespace mamori::server {

class UploadStore {
 public:
  // dir: where the pieces are written (created 0700); empty: uploads are refused.
  explicit UploadStore(std::string dir, uint64_t max_bytes = uint64_t{4} << 30);
  ~UploadStore();
  UploadStore(const UploadStore&) = delete;
  UploadStore& operator=(const UploadStore&) = delete;

  // A new upload of `size` bytes named file_name (for messages); returns its id.
  Result<std::string> Begin(const store::Actor& actor, const std::string& file_name, uint64_t size);
  // Appends bytes at offset (which must be what has been received so far); returns the total.
  Result<uint64_t> Append(const store::Actor& actor, const std::string& id, uint64_t offset,
                          const std::string& bytes);
  struct Finished {
    std::string path;       // the complete file; the caller removes it (Remove)
    std::string file_name;  // as the user named it
  };
  // The complete upload, no longer listed; an incomplete one is an error naming what is missing.
  Result<Finished> Take(const store::Actor& actor, const std::string& id);
  static void Remove(const Finished& f);

 private:
  struct Upload {
    int64_t org_id = 0;
    int64_t user_id = 0;
    std::string file_name;
    std::string path;
    uint64_t size = 0;
    uint64_t received = 0;
    std::chrono::steady_clock::time_point touched;
  };
  Result<Upload*> Find(const store::Actor& actor, const std::string& id);
  void DropIdle();  // with mu_ held

  std::string dir_;
  uint64_t max_bytes_;
  std::mutex mu_;
  std::map<std::string, Upload> uploads_;
};

}  // namespace mamori::server
