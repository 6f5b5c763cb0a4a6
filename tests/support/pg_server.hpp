// A real PostgreSQL server for tests: initdb + pg_ctl from Debian's postgresql package, in a
// temporary directory, on a free loopback port; stopped and removed when destroyed.
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"

namespace mamori::testing {

class PgServer {
 public:
  static Result<std::unique_ptr<PgServer>> Start();
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // A new, empty database on this server; returns its URL.
  Result<std::string> CreateDatabase();
  [[nodiscard]] std::string AdminUrl() const;

 private:
  PgServer() = default;
  std::string dir_;
  std::string bin_;
  int port_ = 0;
  int next_db_ = 0;
  bool as_postgres_ = false;
};

// A shared server for a whole test binary (started on first use).
PgServer& SharedPgServer();

// Temporary directory removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

int FreePort();

}  // namespace mamori::testing
