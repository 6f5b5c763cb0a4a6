// The signed offline bundle (see bundle.hpp). libarchive writes and reads the tar + zstd
// container; libsodium does Ed25519 and BLAKE2b. The minisign key and signature layouts are
// written here because no Debian library reads them (minisign is a program, not a library); they
// are short and documented in docs/formats/bundle.md.
#include "vuln/bundle.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "core/crypto.hpp"
#include "vuln/archive_handles.hpp"

namespace mamori::vuln {

namespace {

constexpr std::string_view kManifestName = "manifest.json";
constexpr std::string_view kSignatureName = "manifest.json.minisig";
constexpr std::string_view kFeedsPrefix = "feeds/";
constexpr int64_t kMaxManifestBytes = 16 << 20;
constexpr int64_t kMaxMemberBytes = int64_t{4} << 30;
constexpr size_t kMaxMembers = 100000;
constexpr size_t kChunk = 1 << 20;

Error Bad(const char* key, std::vector<std::string> args) {
  return MakeError(ErrorCode::kInvalidArgument, key, std::move(args));
}

bool SafeMemberName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos)
    return false;
  size_t at = 0;
  while (at <= name.size()) {
    size_t slash = name.find('/', at);
    if (slash == std::string_view::npos) slash = name.size();
    auto part = name.substr(at, slash - at);
    if (part.empty() || part == "." || part == "..") return false;
    at = slash + 1;
  }
  return true;
}

Error ArchiveError(archive* a, const std::string& path) {
  const char* msg = archive_error_string(a);
  return Bad("bundle.archive_bad", {path, msg != nullptr ? msg : "?"});
}

// The file's bytes as libarchive reads them, each chunk also fed to a SHA-256 of the whole file:
// the bundle's own digest comes out of the pass that verifies its members, instead of a third
// read of a file that may be gigabytes.
struct HashingSource {
  std::FILE* f = nullptr;
  Sha256 whole;
  std::string buf = std::string(kChunk, '\0');
  ~HashingSource() {
    if (f != nullptr) std::fclose(f);
  }
  static la_ssize_t Read(archive* /*a*/, void* self, const void** out) {
    auto* s = static_cast<HashingSource*>(self);
    size_t n = std::fread(s->buf.data(), 1, s->buf.size(), s->f);
    if (n == 0 && std::ferror(s->f) != 0) return -1;
    s->whole.Update(std::string_view(s->buf.data(), n));
    *out = s->buf.data();
    return static_cast<la_ssize_t>(n);
  }
};

// With `source`, the file is read through it (and hashed whole); it must outlive the reader.
Result<std::unique_ptr<ArchiveReader>> OpenForReading(const std::string& path,
                                                      HashingSource* source = nullptr) {
  auto r = std::make_unique<ArchiveReader>();
  archive_read_support_filter_zstd(r->a);
  archive_read_support_filter_gzip(r->a);
  archive_read_support_format_tar(r->a);
  bool opened = false;
  if (source != nullptr) {
    source->f = std::fopen(path.c_str(), "rb");
    opened = source->f != nullptr &&
             archive_read_open(r->a, source, nullptr, &HashingSource::Read, nullptr) == ARCHIVE_OK;
  } else {
    opened = archive_read_open_filename(r->a, path.c_str(), kChunk) == ARCHIVE_OK;
  }
  if (!opened) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      return MakeError(ErrorCode::kNotFound, "import.cannot_read", {path});
    return ArchiveError(r->a, path);
  }
  return r;
}

// Reads the current member in chunks, each passed to `sink`.
Status ReadMember(archive* a, const std::string& path, const std::string& name, int64_t limit,
                  const std::function<void(std::string_view)>& sink) {
  std::string buf(kChunk, '\0');
  int64_t total = 0;
  for (;;) {
    la_ssize_t n = archive_read_data(a, buf.data(), buf.size());
    if (n < 0) return Bad("bundle.member_bad", {path, name, archive_error_string(a)});
    if (n == 0) return Ok();
    total += n;
    if (total > limit) return Bad("bundle.member_too_large", {path, name});
    sink(std::string_view(buf.data(), static_cast<size_t>(n)));
  }
}

Status AddMember(archive* a, const std::string& out, const std::string& name, int64_t size,
                 int64_t mtime, const std::function<Status(archive*)>& write_data) {
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(),
                                                                  archive_entry_free);
  archive_entry_set_pathname(e.get(), name.c_str());
  archive_entry_set_size(e.get(), size);
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_perm(e.get(), 0644);
  archive_entry_set_mtime(e.get(), mtime, 0);
  if (archive_write_header(a, e.get()) != ARCHIVE_OK) return ArchiveError(a, out);
  return write_data(a);
}

Status WriteBytes(archive* a, const std::string& out, std::string_view bytes) {
  while (!bytes.empty()) {
    la_ssize_t n = archive_write_data(a, bytes.data(), bytes.size());
    if (n <= 0) return ArchiveError(a, out);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

// The feed files of a build: every regular file under the inputs, named relative to the folder
// given (a bare file by its own name), sorted by name.
Result<std::vector<std::pair<std::string, std::filesystem::path>>> CollectInputs(
    const std::vector<std::string>& inputs) {
  std::vector<std::pair<std::string, std::filesystem::path>> files;
  for (const auto& in : inputs) {
    std::error_code ec;
    std::filesystem::path root(in);
    if (std::filesystem::is_directory(root, ec)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(root, ec)) {
        if (!e.is_regular_file()) continue;
        files.emplace_back(std::filesystem::relative(e.path(), root).generic_string(), e.path());
      }
      if (ec) return MakeError(ErrorCode::kIo, "import.cannot_read", {in});
    } else if (std::filesystem::is_regular_file(root, ec)) {
      files.emplace_back(root.filename().generic_string(), root);
    } else {
      return MakeError(ErrorCode::kNotFound, "import.cannot_read", {in});
    }
  }
  std::sort(files.begin(), files.end());
  for (size_t i = 1; i < files.size(); ++i)
    if (files[i].first == files[i - 1].first)
      return Bad("bundle.duplicate_name",
                 {files[i].first, files[i - 1].second.string(), files[i].second.string()});
  return files;
}

// SHA-256 and size of a file, read in chunks.
Result<BundleFile> HashFile(const std::string& name, const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, "import.cannot_read", {path.string()});
  Sha256 h;
  std::string buf(kChunk, '\0');
  BundleFile f;
  f.name = name;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = in.gcount();
    if (n <= 0) break;
    h.Update(std::string_view(buf.data(), static_cast<size_t>(n)));
    f.size += n;
  }
  f.sha256 = h.HexDigest();
  return f;
}

}  // namespace

// ---- manifest -----------------------------------------------------------------------------

nlohmann::json BundleManifest::ToJson() const {
  auto list = [](const std::vector<BundleFile>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& f : v) a.push_back({{"name", f.name}, {"sha256", f.sha256}, {"size", f.size}});
    return a;
  };
  nlohmann::json j = {{"format", "mamori-vuln-bundle"},
                      {"format_version", 1},
                      {"id", id},
                      {"sequence", sequence},
                      {"created", created},
                      {"producer", producer},
                      {"files", list(files)}};
  if (!base_id.empty()) {
    j["base"] = {{"id", base_id}, {"sequence", base_sequence}};
    j["unchanged"] = list(unchanged);
  }
  return j;
}

Result<BundleManifest> BundleManifest::FromJson(std::string_view text, const std::string& file) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  auto bad = [&](const std::string& field) { return Bad("bundle.manifest_bad", {file, field}); };
  if (!j.is_object()) return bad("(JSON)");
  if (j.value("format", "") != "mamori-vuln-bundle") return bad("format");
  if (!j.contains("format_version") || !j["format_version"].is_number_integer() ||
      j["format_version"].get<int>() != 1)
    return bad("format_version");
  BundleManifest m;
  if (!j.contains("id") || !j["id"].is_string() || j["id"].get<std::string>().empty())
    return bad("id");
  m.id = j["id"];
  if (!j.contains("sequence") || !j["sequence"].is_number_integer()) return bad("sequence");
  m.sequence = j["sequence"];
  m.created = j.value("created", "");
  m.producer = j.value("producer", "");
  if (j.contains("base")) {
    const auto& b = j["base"];
    if (!b.is_object() || !b.contains("id") || !b["id"].is_string()) return bad("base.id");
    m.base_id = b["id"];
    m.base_sequence = b.value("sequence", int64_t{0});
  }
  std::set<std::string> names;
  auto read_list = [&](const char* key, std::vector<BundleFile>& into) -> Status {
    if (!j.contains(key)) return key == std::string("files") ? Status(bad(key)) : Ok();
    if (!j[key].is_array()) return bad(key);
    for (size_t i = 0; i < j[key].size(); ++i) {
      const auto& f = j[key][i];
      std::string at = std::string(key) + "[" + std::to_string(i) + "]";
      if (!f.is_object() || !f.contains("name") || !f["name"].is_string()) return bad(at + ".name");
      BundleFile bf;
      bf.name = f["name"];
      if (!SafeMemberName(bf.name) || !names.insert(bf.name).second) return bad(at + ".name");
      if (!f.contains("sha256") || !f["sha256"].is_string() ||
          f["sha256"].get<std::string>().size() != 64)
        return bad(at + ".sha256");
      bf.sha256 = f["sha256"];
      if (!f.contains("size") || !f["size"].is_number_integer() || f["size"].get<int64_t>() < 0)
        return bad(at + ".size");
      bf.size = f["size"];
      into.push_back(std::move(bf));
    }
    return Ok();
  };
  MAMORI_RETURN_IF_ERROR(read_list("files", m.files));
  MAMORI_RETURN_IF_ERROR(read_list("unchanged", m.unchanged));
  return m;
}

// ---- build ---------------------------------------------------------------------------------

Result<BundleManifest> BuildBundle(const BundleBuild& build) {
  MAMORI_ASSIGN_OR_RETURN(auto inputs, CollectInputs(build.inputs));
  BundleManifest m;
  m.id = RandomToken(16);
  m.created = build.created;
  m.producer = build.producer;
  std::map<std::string, std::string> base_hashes;
  if (build.base != nullptr) {
    m.base_id = build.base->id;
    m.base_sequence = build.base->sequence;
    m.sequence = build.base->sequence + 1;
    for (const auto& f : build.base->files) base_hashes[f.name] = f.sha256;
    for (const auto& f : build.base->unchanged) base_hashes[f.name] = f.sha256;
  }
  // Hash first: a delta leaves out what the base already has, byte for byte.
  std::vector<std::pair<BundleFile, std::filesystem::path>> chosen;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (build.progress) build.progress(i, inputs.size(), inputs[i].first);
    MAMORI_ASSIGN_OR_RETURN(auto f, HashFile(inputs[i].first, inputs[i].second));
    auto b = base_hashes.find(f.name);
    if (b != base_hashes.end() && b->second == f.sha256) {
      m.unchanged.push_back(std::move(f));
      continue;
    }
    chosen.emplace_back(std::move(f), inputs[i].second);
  }
  std::string tmp = build.out + ".tmp";
  {
    ArchiveWriter w;
    archive_write_set_format_pax_restricted(w.a);
    if (archive_write_add_filter_zstd(w.a) != ARCHIVE_OK) return ArchiveError(w.a, build.out);
    if (archive_write_open_filename(w.a, tmp.c_str()) != ARCHIVE_OK)
      return ArchiveError(w.a, build.out);
    int64_t now = std::time(nullptr);
    for (size_t i = 0; i < chosen.size(); ++i) {
      auto& f = chosen[i].first;
      const auto& path = chosen[i].second;
      if (build.progress) build.progress(i, chosen.size(), f.name);
      // Streamed and hashed again: what goes into the bundle is what the manifest says.
      Sha256 h;
      int64_t written = 0;
      auto stream = [&](archive* a) -> Status {
        std::ifstream in(path, std::ios::binary);
        std::string buf(kChunk, '\0');
        while (in) {
          in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
          auto n = static_cast<size_t>(in.gcount());
          if (n == 0) break;
          std::string_view piece(buf.data(), n);
          h.Update(piece);
          written += static_cast<int64_t>(n);
          MAMORI_RETURN_IF_ERROR(WriteBytes(a, build.out, piece));
        }
        return Ok();
      };
      MAMORI_RETURN_IF_ERROR(
          AddMember(w.a, build.out, std::string(kFeedsPrefix) + f.name, f.size, now, stream));
      if (written != f.size || h.HexDigest() != f.sha256)
        return Bad("bundle.input_changed", {path.string()});
      m.files.push_back(f);
    }
    std::string manifest = m.ToJson().dump(2) + "\n";
    std::string sig =
        SignMinisign(build.key, manifest,
                     "mamori-vuln-bundle id:" + m.id + " sequence:" + std::to_string(m.sequence) +
                         " created:" + m.created);
    MAMORI_RETURN_IF_ERROR(
        AddMember(w.a, build.out, std::string(kManifestName), static_cast<int64_t>(manifest.size()),
                  now, [&](archive* a) { return WriteBytes(a, build.out, manifest); }));
    MAMORI_RETURN_IF_ERROR(AddMember(w.a, build.out, std::string(kSignatureName),
                                     static_cast<int64_t>(sig.size()), now,
                                     [&](archive* a) { return WriteBytes(a, build.out, sig); }));
    if (archive_write_close(w.a) != ARCHIVE_OK) return ArchiveError(w.a, build.out);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, build.out, ec);
  if (ec) return MakeError(ErrorCode::kIo, "common.file_unwritable", {build.out, ec.message()});
  return m;
}

// ---- read ----------------------------------------------------------------------------------

Result<OpenedBundle> OpenBundle(const std::string& path, const std::vector<PublicKey>& trusted) {
  HashingSource source;  // outlives the reader (declared first, destroyed last)
  MAMORI_ASSIGN_OR_RETURN(auto r, OpenForReading(path, &source));
  std::string manifest_text, sig_text;
  std::map<std::string, BundleFile> seen;
  size_t members = 0;
  for (;;) {
    archive_entry* e = nullptr;
    int rc = archive_read_next_header(r->a, &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK) return ArchiveError(r->a, path);
    if (++members > kMaxMembers) return Bad("bundle.too_many_members", {path});
    const char* raw_name = archive_entry_pathname(e);
    std::string name = raw_name != nullptr ? raw_name : "";
    if (archive_entry_filetype(e) == AE_IFDIR) continue;
    if (archive_entry_filetype(e) != AE_IFREG) return Bad("bundle.member_unexpected", {path, name});
    if (name == kManifestName || name == kSignatureName) {
      std::string& into = name == kManifestName ? manifest_text : sig_text;
      if (!into.empty()) return Bad("bundle.member_duplicate", {path, name});
      MAMORI_RETURN_IF_ERROR(ReadMember(r->a, path, name, kMaxManifestBytes,
                                        [&](std::string_view p) { into.append(p); }));
      continue;
    }
    if (name.rfind(kFeedsPrefix, 0) != 0 || !SafeMemberName(name))
      return Bad("bundle.member_unexpected", {path, name});
    std::string feed = name.substr(kFeedsPrefix.size());
    if (seen.count(feed) != 0) return Bad("bundle.member_duplicate", {path, name});
    Sha256 h;
    BundleFile f;
    f.name = feed;
    MAMORI_RETURN_IF_ERROR(ReadMember(r->a, path, name, kMaxMemberBytes, [&](std::string_view p) {
      h.Update(p);
      f.size += static_cast<int64_t>(p.size());
    }));
    f.sha256 = h.HexDigest();
    seen[feed] = f;
  }
  if (manifest_text.empty())
    return Bad("bundle.member_missing", {path, std::string(kManifestName)});
  if (sig_text.empty()) return Bad("bundle.member_missing", {path, std::string(kSignatureName)});
  OpenedBundle out;
  MAMORI_ASSIGN_OR_RETURN(out.signature, VerifyMinisign(trusted, manifest_text, sig_text,
                                                        path + ":" + std::string(kSignatureName)));
  MAMORI_ASSIGN_OR_RETURN(
      out.manifest,
      BundleManifest::FromJson(manifest_text, path + ":" + std::string(kManifestName)));
  for (const auto& f : out.manifest.files) {
    auto s = seen.find(f.name);
    if (s == seen.end())
      return MakeError(ErrorCode::kCorruption, "bundle.file_missing", {path, f.name});
    if (s->second.sha256 != f.sha256 || s->second.size != f.size)
      return MakeError(ErrorCode::kCorruption, "bundle.file_altered", {path, f.name});
    seen.erase(s);
  }
  if (!seen.empty())
    return MakeError(ErrorCode::kCorruption, "bundle.file_unlisted", {path, seen.begin()->first});
  // What follows the tar's end (its zero blocks, the compressor's padding) is read and hashed too.
  la_ssize_t rest = 0;
  const void* ignored = nullptr;
  do {
    rest = HashingSource::Read(r->a, &source, &ignored);
  } while (rest > 0);
  if (rest < 0) return MakeError(ErrorCode::kIo, "import.cannot_read", {path});
  out.sha256 = source.whole.HexDigest();
  return out;
}

Status ForEachBundleFile(const std::string& path, const BundleManifest& manifest,
                         const std::function<Status(const BundleFile&, std::string bytes)>& fn) {
  std::map<std::string, const BundleFile*> wanted;
  for (const auto& f : manifest.files) wanted[std::string(kFeedsPrefix) + f.name] = &f;
  MAMORI_ASSIGN_OR_RETURN(auto r, OpenForReading(path));
  for (;;) {
    archive_entry* e = nullptr;
    int rc = archive_read_next_header(r->a, &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK) return ArchiveError(r->a, path);
    const char* raw_name = archive_entry_pathname(e);
    auto w = wanted.find(raw_name != nullptr ? raw_name : "");
    if (w == wanted.end()) continue;
    const BundleFile& f = *w->second;
    std::string bytes;
    bytes.reserve(static_cast<size_t>(f.size));
    MAMORI_RETURN_IF_ERROR(
        ReadMember(r->a, path, w->first, f.size, [&](std::string_view p) { bytes.append(p); }));
    if (Sha256Hex(bytes) != f.sha256)
      return MakeError(ErrorCode::kCorruption, "bundle.file_altered", {path, f.name});
    wanted.erase(w);
    MAMORI_RETURN_IF_ERROR(fn(f, std::move(bytes)));
  }
  if (!wanted.empty())
    return MakeError(ErrorCode::kCorruption, "bundle.file_missing",
                     {path, wanted.begin()->second->name});
  return Ok();
}

}  // namespace mamori::vuln
