// VulnService's part for getting feeds in: the signed offline bundle (trusted keys, loading a
// bundle — verified, then each file through Load — and the bundles loaded) and the downloader
// (feed update with its per-source cursor).
#include <filesystem>
#include <map>

#include "core/crypto.hpp"
#include "core/file.hpp"
#include "store/tx.hpp"
#include "vuln/vuln_repository.hpp"
#include "vuln/vuln_service.hpp"

namespace mamori::vuln {

Json BundleLoadResult::ToJson() const {
  Json files_json = Json::array();
  for (const auto& f : files) files_json.push_back(f.ToJson());
  return {{"file", file},
          {"id", manifest.id},
          {"sequence", manifest.sequence},
          {"base", manifest.base_id},
          {"created", manifest.created},
          {"producer", manifest.producer},
          {"key_id", signature.key.IdHex()},
          {"trusted_comment", signature.trusted_comment},
          {"sha256", sha256},
          {"already_loaded", already_loaded},
          {"files", files_json}};
}

Result<std::vector<Json>> VulnService::BundleKeys(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto keys, repo::TrustedKeys(tx));
  std::vector<Json> out;
  out.reserve(keys.size());
  for (const auto& k : keys)
    out.push_back({{"key_id", k.key_id},
                   {"public_key", k.public_key_b64},
                   {"comment", k.comment},
                   {"added_at", FormatJst(k.added_at)},
                   {"added_by", k.added_by}});
  return out;
}

Result<std::vector<PublicKey>> VulnService::TrustedBundleKeys(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto keys, repo::TrustedKeys(tx));
  std::vector<PublicKey> out;
  for (const auto& k : keys) {
    auto pk = ParsePublicKey(k.public_key_b64, "vuln_bundle_keys " + k.key_id);
    if (pk.ok()) out.push_back(*pk);
  }
  return out;
}

Result<Json> VulnService::TrustBundleKey(const store::Actor& actor, const PublicKey& key,
                                         const std::string& comment) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  repo::TrustedKey k{key.IdHex(), Base64Encode("Ed" + key.key_id + key.public_key), comment,
                     actor.username, tx.now()};
  MAMORI_RETURN_IF_ERROR(repo::PutTrustedKey(tx, k));
  Json after = {{"key_id", k.key_id}, {"public_key", k.public_key_b64}, {"comment", comment}};
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"vuln.bundle_key_trust", "vuln_bundle_key", k.key_id, nullptr, after}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return after;
}

Status VulnService::DistrustBundleKey(const store::Actor& actor, const std::string& key_id) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(bool removed, repo::DeleteTrustedKey(tx, key_id));
  if (!removed) return MakeError(ErrorCode::kNotFound, "common.not_found", {"key", key_id});
  MAMORI_RETURN_IF_ERROR(tx.Audit(
      {"vuln.bundle_key_remove", "vuln_bundle_key", key_id, Json{{"key_id", key_id}}, nullptr}));
  return tx.Commit();
}

Result<BundleLoadResult> VulnService::LoadBundle(
    const store::Actor& actor, const std::string& path, const std::vector<PublicKey>& extra_keys,
    bool force, const std::function<void(size_t, size_t, const std::string&)>& progress) {
  std::vector<PublicKey> trusted = extra_keys;
  MAMORI_ASSIGN_OR_RETURN(auto stored, TrustedBundleKeys(actor));
  trusted.insert(trusted.end(), stored.begin(), stored.end());
  MAMORI_ASSIGN_OR_RETURN(auto opened, OpenBundle(path, trusted));
  BundleLoadResult r;
  r.file = path;
  r.manifest = opened.manifest;
  r.signature = opened.signature;
  r.sha256 = opened.sha256;
  {
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
    MAMORI_ASSIGN_OR_RETURN(auto known, repo::FindBundle(tx, r.manifest.id));
    if (known && !force) {
      r.already_loaded = true;
      return r;
    }
    if (!r.manifest.base_id.empty()) {
      MAMORI_ASSIGN_OR_RETURN(auto base, repo::FindBundle(tx, r.manifest.base_id));
      if (!base)
        return MakeError(ErrorCode::kConflict, "bundle.base_missing",
                         {path, r.manifest.base_id, std::to_string(r.manifest.base_sequence)});
    }
  }
  // Loaded as `vuln load` loads files (FeedLoader: a savepoint each, committed in batches): a
  // file that fails stops the load, leaves those before it loaded (they are valid and signed)
  // and the bundle unrecorded, so that loading it again completes it.
  std::string shown = std::filesystem::path(path).filename().string();
  size_t done = 0;
  std::optional<Error> failed;
  std::vector<std::optional<LoadResult>> loaded(r.manifest.files.size());
  FeedLoader loader(db_, actor, [&](size_t i, Result<LoadResult> one) {
    if (!one.ok()) {
      if (!failed) failed = one.error();
      return;
    }
    if (i < loaded.size()) loaded[i] = std::move(*one);
  });
  Status read =
      ForEachBundleFile(path, r.manifest, [&](const BundleFile& f, std::string bytes) -> Status {
        if (progress) progress(done, r.manifest.files.size(), f.name);
        MAMORI_RETURN_IF_ERROR(loader.Add(done++, std::move(bytes), shown + ":feeds/" + f.name));
        if (failed) return *failed;
        return Ok();
      });
  // What was written before a failure is kept (committed); the failure is then reported.
  Status finished = loader.Finish();
  if (!read.ok()) return read.error();
  if (!finished.ok()) return finished.error();
  if (failed) return *failed;
  for (auto& one : loaded)
    if (one) r.files.push_back(std::move(*one));
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
  repo::LoadedBundle b;
  b.bundle_id = r.manifest.id;
  b.sequence = r.manifest.sequence;
  b.base_id = r.manifest.base_id;
  b.created = r.manifest.created;
  b.producer = r.manifest.producer;
  b.key_id = r.signature.key.IdHex();
  b.files = static_cast<int64_t>(r.manifest.files.size());
  b.sha256 = r.sha256;
  b.loaded_at = tx.now();
  b.loaded_by = actor.username;
  MAMORI_ASSIGN_OR_RETURN(auto known, repo::FindBundle(tx, b.bundle_id));
  if (!known) MAMORI_RETURN_IF_ERROR(repo::InsertBundle(tx, b));
  Json after = b.ToJson();
  MAMORI_RETURN_IF_ERROR(
      tx.Audit({"vuln.bundle_load", "vuln_bundle", b.bundle_id, nullptr, after}));
  MAMORI_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<std::vector<Json>> VulnService::Bundles(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto list, repo::Bundles(tx));
  std::vector<Json> out;
  out.reserve(list.size());
  for (const auto& b : list) out.push_back(b.ToJson());
  return out;
}

Json FeedUpdateResult::ToJson(Lang lang) const {
  Json loaded_json = Json::array();
  for (const auto& l : loaded) loaded_json.push_back(l.ToJson());
  Json problems_json = Json::array();
  for (const auto& p : problems) problems_json.push_back(p.Message(lang));
  Json j = {{"source", source},        {"not_modified", not_modified}, {"requests", requests},
            {"files", files},          {"loaded", loaded_json},        {"problems", problems_json},
            {"ok", !error.has_value()}};
  if (error) j["error"] = error->Message(lang);
  return j;
}

Result<std::vector<FeedUpdateResult>> VulnService::UpdateFeeds(const store::Actor& actor,
                                                               const FeedUpdateOptions& options,
                                                               bool download_only) {
  std::map<std::string, repo::FeedSourceState> states;
  {
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
    MAMORI_ASSIGN_OR_RETURN(auto list, repo::FeedSources(tx));
    for (auto& s : list) states[s.source] = std::move(s);
  }
  std::vector<FeedUpdateResult> out;
  const auto& sources = options.sources.empty() ? FeedSourceNames() : options.sources;
  for (const auto& source : sources) {
    FeedUpdateResult r;
    r.source = source;
    repo::FeedSourceState state =
        states.count(source) != 0 ? states[source] : repo::FeedSourceState{};
    state.source = source;
    auto fetched = FetchFeedSource(source, {state.cursor, state.etag}, options);
    if (fetched.ok()) {
      r.not_modified = fetched->not_modified;
      r.requests = fetched->requests;
      r.files = fetched->files;
      r.problems = fetched->problems;
      if (!download_only) {
        for (const auto& f : fetched->files) {
          auto bytes = ReadFile(f);
          if (!bytes.ok()) {
            r.error = bytes.error();
            break;
          }
          auto loaded = Load(actor, std::move(*bytes), f);
          if (!loaded.ok()) {
            r.error = loaded.error();
            break;
          }
          r.loaded.push_back(std::move(*loaded));
        }
      }
    } else {
      r.error = fetched.error();
    }
    MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::Begin(db_, actor));
    state.last_attempt = tx.now();
    if (r.error) {
      state.last_error = r.error->Message(Lang::kJa);
    } else {
      state.last_success = tx.now();
      state.last_error.clear();
      state.cursor = fetched->next.cursor;
      state.etag = fetched->next.etag;
    }
    MAMORI_RETURN_IF_ERROR(repo::PutFeedSource(tx, state));
    MAMORI_RETURN_IF_ERROR(
        tx.Audit({"vuln.feed_update", "vuln_feed_source", source, nullptr, r.ToJson(Lang::kJa)}));
    MAMORI_RETURN_IF_ERROR(tx.Commit());
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<Json>> VulnService::FeedSources(const store::Actor& actor) {
  MAMORI_ASSIGN_OR_RETURN(auto tx, store::Tx::BeginRead(db_, actor));
  MAMORI_ASSIGN_OR_RETURN(auto list, repo::FeedSources(tx));
  std::vector<Json> out;
  out.reserve(list.size());
  for (const auto& s : list) out.push_back(s.ToJson());
  return out;
}

}  // namespace mamori::vuln
