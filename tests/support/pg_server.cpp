#include "support/pg_server.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "store/store.hpp"

namespace mamori::testing {

namespace fs = std::filesystem;

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "mamori-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {
int Run(const std::string& cmd) {
  return std::system(cmd.c_str());
}

std::string FindPgBin() {
  std::error_code ec;
  std::vector<std::string> found;
  if (fs::exists("/usr/lib/postgresql", ec)) {
    for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec))
      if (fs::exists(e.path() / "bin" / "initdb")) found.push_back((e.path() / "bin").string());
  }
  std::sort(found.begin(), found.end());
  return found.empty() ? "" : found.back();
}
}  // namespace

Result<std::unique_ptr<PgServer>> PgServer::Start() {
  std::unique_ptr<PgServer> s(new PgServer());
  s->bin_ = FindPgBin();
  if (s->bin_.empty())
    return MakeError(ErrorCode::kUnavailable,
                     "PostgreSQL server binaries not found (apt-get install postgresql)");
  std::string tmpl = (fs::temp_directory_path() / "mamori-pg-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) return MakeError(ErrorCode::kIo, "mkdtemp failed");
  s->dir_ = tmpl;
  s->port_ = FreePort();
  // initdb refuses to run as root: run the server as the postgres user then.
  s->as_postgres_ = geteuid() == 0;
  std::string prefix = s->as_postgres_ ? "runuser -u postgres -- " : "";
  if (s->as_postgres_ && Run("chown postgres:postgres " + s->dir_) != 0)
    return MakeError(ErrorCode::kIo, "chown of the PostgreSQL test directory failed");
  std::string data = s->dir_ + "/data";
  if (Run(prefix + s->bin_ + "/initdb -D " + data + " -A trust -U mamori -E UTF8 --no-sync > " +
          s->dir_ + "/initdb.log 2>&1") != 0)
    return MakeError(ErrorCode::kUnavailable, "initdb failed; see " + s->dir_ + "/initdb.log");
  std::string opts = "-p " + std::to_string(s->port_) + " -k " + s->dir_ +
                     " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                     "-c full_page_writes=off";
  if (Run(prefix + s->bin_ + "/pg_ctl -D " + data + " -o \"" + opts + "\" -l " + s->dir_ +
          "/server.log -w -t 60 start > /dev/null 2>&1") != 0)
    return MakeError(ErrorCode::kUnavailable,
                     "pg_ctl start failed; see " + s->dir_ + "/server.log");
  return s;
}

PgServer::~PgServer() {
  if (dir_.empty()) return;
  std::string prefix = as_postgres_ ? "runuser -u postgres -- " : "";
  Run(prefix + bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop > /dev/null 2>&1");
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PgServer::AdminUrl() const {
  return "postgresql://mamori@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

Result<std::string> PgServer::CreateDatabase() {
  std::string name = "t" + std::to_string(getpid()) + "_" + std::to_string(next_db_++);
  MAMORI_ASSIGN_OR_RETURN(auto admin, store::Database::Open(AdminUrl(), false));
  MAMORI_ASSIGN_OR_RETURN(auto conn, admin->Acquire());
  MAMORI_RETURN_IF_ERROR(conn->ExecScript("CREATE DATABASE " + name));
  return "postgresql://mamori@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

PgServer& SharedPgServer() {
  static std::unique_ptr<PgServer> server = [] {
    auto s = PgServer::Start();
    if (!s.ok()) throw std::runtime_error("cannot start PostgreSQL for tests: " + s.error().key);
    return std::move(s).value();
  }();
  return *server;
}

}  // namespace mamori::testing
