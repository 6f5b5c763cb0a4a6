#include "logs/log_expiry.hpp"

#include <cstdio>
#include <filesystem>

#include "core/crypto.hpp"
#include "core/file.hpp"
#include "logs/segment_format.hpp"

namespace mamori::logs {

namespace fs = std::filesystem;

Json ExpiredSource::ToJson() const {
  return {{"source", source},
          {"retention_years", retention_years},
          {"before", FormatJst(before)},
          {"count", count},
          {"first_seq", first_seq},
          {"last_seq", last_seq},
          {"first_received", FormatJst(first_received)},
          {"last_received", FormatJst(last_received)}};
}

uint64_t ExpiryRecord::FirstSeq() const {
  uint64_t first = UINT64_MAX;
  for (const auto& s : sources) first = std::min(first, s.first_seq);
  return first;
}

Json ExpiryRecord::ToJson() const {
  Json src = Json::array();
  for (const auto& s : sources) src.push_back(s.ToJson());
  return {{"id", id},
          {"time", FormatJst(time)},
          {"by", by},
          {"tree_size", tree_size},
          {"root", ToHex(root)},
          {"segments", segments},
          {"count", count},
          {"digest", ToHex(digest)},
          {"sources", src}};
}

namespace expiry {

namespace {

constexpr std::string_view kHead = "mamori-log-expiry/1";
// A block: the two signed lines (head, the record as one JSON line) and the four of the
// minisign signature.
constexpr size_t kBlockLines = 6;

// The record as signed: integers as they are (times in UTC milliseconds), hashes in hex.
Json SignedJson(const ExpiryRecord& r) {
  Json src = Json::array();
  for (const auto& s : r.sources)
    src.push_back({{"source", s.source},
                   {"retention_years", s.retention_years},
                   {"before", s.before},
                   {"count", s.count},
                   {"first_seq", s.first_seq},
                   {"last_seq", s.last_seq},
                   {"first_received", s.first_received},
                   {"last_received", s.last_received}});
  return {{"id", r.id},
          {"time", r.time},
          {"by", r.by},
          {"tree_size", r.tree_size},
          {"root", ToHex(r.root)},
          {"segments", r.segments},
          {"count", r.count},
          {"digest", ToHex(r.digest)},
          {"sources", src}};
}

bool ParseRecord(const std::string& json_line, ExpiryRecord& r) {
  Json j = Json::parse(json_line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  try {
    r.id = j.at("id").get<uint32_t>();
    r.time = j.at("time").get<int64_t>();
    r.by = j.at("by").get<std::string>();
    r.tree_size = j.at("tree_size").get<uint64_t>();
    auto root = segfmt::FromHex(j.at("root").get<std::string>());
    auto digest = segfmt::FromHex(j.at("digest").get<std::string>());
    if (!root || !digest || root->size() != segfmt::kHashLen || digest->size() != segfmt::kHashLen)
      return false;
    r.root = *root;
    r.digest = *digest;
    r.segments = j.at("segments").get<std::vector<uint32_t>>();
    r.count = j.at("count").get<uint64_t>();
    for (const auto& s : j.at("sources")) {
      ExpiredSource e;
      e.source = s.at("source").get<std::string>();
      e.retention_years = s.at("retention_years").get<int64_t>();
      e.before = s.at("before").get<int64_t>();
      e.count = s.at("count").get<uint64_t>();
      e.first_seq = s.at("first_seq").get<uint64_t>();
      e.last_seq = s.at("last_seq").get<uint64_t>();
      e.first_received = s.at("first_received").get<int64_t>();
      e.last_received = s.at("last_received").get<int64_t>();
      r.sources.push_back(std::move(e));
    }
  } catch (const Json::exception&) {
    return false;
  }
  return true;
}

}  // namespace

std::string ExpiryPath(const std::string& dir) {
  return (fs::path(dir) / "expiry.log").string();
}

std::string ExpiryText(const ExpiryRecord& r) {
  return std::string(kHead) + "\n" + SignedJson(r).dump() + "\n";
}

bool SignatureHolds(const ExpiryRecord& r, const minisign::PublicKey& key) {
  return minisign::VerifyMinisign({key}, r.text, r.signature, "expiry.log").ok();
}

Result<ExpiryFile> LoadExpiryFile(const std::string& dir) {
  ExpiryFile f;
  std::string path = ExpiryPath(dir);
  std::error_code ec;
  if (!fs::exists(path, ec)) return f;
  MAMORI_ASSIGN_OR_RETURN(auto text, ReadFile(path));
  f.total_bytes = text.size();
  std::vector<std::string> lines;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) break;  // torn
    lines.emplace_back(text.substr(at, nl - at));
    at = nl + 1;
    if (lines.size() % kBlockLines == 0) f.complete_bytes = at;
  }
  for (size_t b = 0; b + kBlockLines <= lines.size(); b += kBlockLines) {
    ExpiryRecord r;
    r.text = lines[b] + "\n" + lines[b + 1] + "\n";
    for (size_t i = 2; i < kBlockLines; ++i) r.signature += lines[b + i] + "\n";
    if (lines[b] != kHead || !ParseRecord(lines[b + 1], r)) {
      f.bad.push_back(b / kBlockLines + 1);
      continue;
    }
    f.records.push_back(std::move(r));
  }
  return f;
}

std::string PendingPath(const std::string& dir, uint32_t segment, uint32_t id) {
  return segfmt::SegmentPath(dir, segment) + ".x" + std::to_string(id);
}

Result<Rewrite> RewriteSegment(const std::string& dir, uint32_t segment,
                               const std::vector<ExpiryRule>& rules, uint32_t id,
                               std::map<std::string, ExpiredSource>& stats) {
  Rewrite rw;
  rw.segment = segment;
  std::string path = segfmt::SegmentPath(dir, segment);
  MAMORI_ASSIGN_OR_RETURN(auto mapped, segfmt::Mapped::Open(path));
  std::string_view bytes = mapped.view();
  rw.bytes.reserve(bytes.size());
  uint64_t off = 0;
  while (off < bytes.size()) {
    auto p = segfmt::ParseAt(bytes, off);
    // Expiry never works around damage: verify must see it as it is.
    if (p.kind != segfmt::Parsed::kOk ||
        (!p.tombstone && segfmt::EventLeaf(p.seq, p.payload) != p.stored))
      return MakeError(ErrorCode::kCorruption, "logs.store_damaged",
                       {dir, std::to_string(segment), std::to_string(off)});
    std::string_view record = bytes.substr(off, p.next - off);
    const ExpiryRule* due = nullptr;
    UnixMillis received = 0;
    std::string source;
    if (!p.tombstone) {
      auto e = LogEvent::Deserialise(p.payload);
      if (e.ok()) {
        for (const auto& rule : rules)
          if (e->source == rule.source && e->received < rule.before) due = &rule;
        received = e->received;
        source = e->source;
      }
      // An event that cannot be read is kept: nothing is removed on a guess.
    }
    if (due == nullptr) {
      if (!p.tombstone) rw.moved.emplace_back(p.seq, rw.bytes.size());
      rw.bytes.append(record);
    } else {
      Hash leaf(p.stored);
      rw.bytes += segfmt::TombstoneFrame(id, p.seq, leaf);
      rw.tombstones.emplace_back(p.seq, std::move(leaf));
      auto [it, fresh] = stats.try_emplace(source);
      auto& st = it->second;
      if (fresh) {
        st.source = source;
        st.retention_years = due->retention_years;
        st.before = due->before;
        st.first_seq = p.seq;
        st.first_received = received;
        st.last_received = received;
      }
      ++st.count;
      st.last_seq = p.seq;
      st.first_received = std::min(st.first_received, received);
      st.last_received = std::max(st.last_received, received);
    }
    off = p.next;
  }
  return rw;
}

Status RecoverExpiry(const std::string& dir, const minisign::PublicKey& key,
                     std::vector<std::string>* notes) {
  std::error_code ec;
  std::vector<fs::path> pending;
  for (const auto& e : fs::directory_iterator(fs::path(dir) / "segments", ec)) {
    auto name = e.path().filename().string();
    if (name.size() > 14 && name.substr(8, 6) == ".seg.x") pending.push_back(e.path());
  }
  if (pending.empty()) return Ok();
  MAMORI_ASSIGN_OR_RETURN(auto file, LoadExpiryFile(dir));
  std::map<uint32_t, bool> committed;
  for (const auto& r : file.records)
    if (SignatureHolds(r, key)) committed[r.id] = true;
  for (const auto& path : pending) {
    auto name = path.filename().string();
    uint32_t id = 0;
    try {
      id = static_cast<uint32_t>(std::stoul(name.substr(14)));
    } catch (...) {
      continue;
    }
    if (committed.count(id) != 0) {
      fs::rename(path, path.parent_path() / name.substr(0, 12), ec);
      if (ec)
        return MakeError(ErrorCode::kIo, "common.file_unwritable", {path.string(), ec.message()});
      if (notes != nullptr)
        notes->push_back(
            Tr(Lang::kJa, "logs.recovered_expiry", {name.substr(0, 8), std::to_string(id)}));
    } else {
      fs::remove(path, ec);
      if (notes != nullptr)
        notes->push_back(Tr(Lang::kJa, "logs.recovered_expiry_dropped",
                            {name.substr(0, 8), std::to_string(id)}));
    }
  }
  segfmt::SyncDir((fs::path(dir) / "segments").string());
  return Ok();
}

}  // namespace expiry

}  // namespace mamori::logs
