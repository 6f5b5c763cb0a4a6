// `mamori vuln feed update`: downloading the feeds where a network exists (libcurl). The files
// are kept in a folder as they came — the same files `vuln load` reads and `vuln bundle build`
// packs — and then loaded unless the caller only wants them downloaded (a connected machine
// that builds bundles for a closed network).
//
// Sources: NVD (CVE API 2.0, paged; after the first run only what changed since the last
// success, in windows of at most 120 days as the API requires), CISA KEV and FIRST EPSS (whole
// files, re-fetched only when their ETag changed), endoflife.date product files, OSV's
// per-ecosystem archives (all.zip, each re-fetched only when its ETag changed) and JVN iPedia
// (MyJVN getVulnOverviewList in pages of 50, the entries updated since the last success). Proxies:
// libcurl's environment (http_proxy, https_proxy, no_proxy) unless a proxy is given.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace mamori::vuln {

struct HttpOptions {
  std::string proxy;    // empty: libcurl's environment variables
  std::string ca_file;  // empty: the system's CA certificates
  long timeout_seconds = 600;
  int retries = 3;  // on a network error, 429 or 5xx; a pause of `retry_pause_ms` × attempt
  long retry_pause_ms = 5000;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string etag;
};

// GET with libcurl. A transport error or an HTTP status ≥ 400 is an error naming the URL (and
// the proxy when one is used); 304 is returned as it is.
Result<HttpResponse> HttpGet(const std::string& url, const std::vector<std::string>& headers,
                             const HttpOptions& options);

struct FeedSourceCursor {
  std::string cursor;  // NVD: the time (UTC, RFC 3339) the last complete update started;
                       // JVN: the day (JST, YYYY-MM-DD) of the last complete update
  std::string etag;    // whole-file sources: the ETag of the file last fetched
                       // (OSV: a JSON object, ecosystem → ETag)
};

struct FeedUpdateOptions {
  std::vector<std::string> sources;         // nvd, kev, epss, eol, osv, jvn; empty: all
  std::map<std::string, std::string> urls;  // per source; eol's contains "{product}", osv's
                                            // "{ecosystem}"
  std::string dir;                          // where the files are written
  HttpOptions http;
  std::string nvd_api_key;  // sent as the apiKey header; raises NVD's rate limit
  int nvd_page_size = 2000;
  long nvd_pause_ms = -1;  // between NVD requests; -1: 6 s without a key, 0.6 s with one
  std::string nvd_since;   // RFC 3339: what changed since then, instead of since the last run
  std::vector<std::string> eol_products;
  std::vector<std::string> osv_ecosystems;  // empty: DefaultOsvEcosystems()
  int jvn_page_size = 50;                   // MyJVN's maxCountItem (at most 50)
  long jvn_pause_ms = 1000;                 // between MyJVN requests (IPA asks for restraint)
  std::string jvn_since;                    // YYYY-MM-DD (JST): updated since, instead of the
                                            // last run (first run: a year back)
  bool jvn_details = true;  // also getVulnDetailInfo of the listed entries (their versions)
  std::string now_utc;      // RFC 3339 UTC, the end of this NVD window
  std::function<void(const std::string& source, const std::string& what)> progress;
};

std::string DefaultFeedUrl(const std::string& source);
const std::vector<std::string>& FeedSourceNames();
const std::vector<std::string>& DefaultEolProducts();
const std::vector<std::string>& DefaultOsvEcosystems();

struct FetchedSource {
  std::string source;
  std::vector<std::string> files;  // written under dir, in the order to load them
  bool not_modified = false;
  FeedSourceCursor next;  // to keep once the files are loaded
  int64_t requests = 0;
  std::vector<Error> problems;  // parts that failed without failing the source (an EOL product)
};

// Fetches one source into options.dir; `previous` is what the last success left.
Result<FetchedSource> FetchFeedSource(const std::string& source, const FeedSourceCursor& previous,
                                      const FeedUpdateOptions& options);

}  // namespace mamori::vuln
