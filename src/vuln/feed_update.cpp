// Feed downloads through libcurl (see feed_update.hpp).
#include "vuln/feed_update.hpp"

#include <curl/curl.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <pugixml.hpp>
#include <thread>

#include "core/json_body.hpp"
#include "core/time.hpp"
#include "ledger/completeness.hpp"

namespace mamori::vuln {

namespace {

constexpr size_t kMaxBody = size_t{2} << 30;
// The NVD API refuses lastMod ranges longer than 120 days.
constexpr int64_t kNvdWindowMs = int64_t{120} * 24 * 3600 * 1000;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() + size * n > kMaxBody) return 0;  // aborts the transfer
  body->append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  constexpr std::string_view kEtag = "etag:";
  if (line.size() > kEtag.size()) {
    std::string head(line.substr(0, kEtag.size()));
    std::transform(head.begin(), head.end(), head.begin(), ::tolower);
    if (head == kEtag) {
      std::string v(line.substr(kEtag.size()));
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.pop_back();
      while (!v.empty() && v.front() == ' ') v.erase(v.begin());
      *static_cast<std::string*>(user) = v;
    }
  }
  return size * n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::string FormatUtc(UnixMillis t) {
  std::time_t s = t / 1000;
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+00:00", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(t % 1000));
  return buf;
}

std::string Compact(const std::string& rfc3339) {
  std::string out;
  for (char c : rfc3339.substr(0, 19))
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) out += c;
  return out;
}

Status WriteAtomically(const std::filesystem::path& path, std::string_view bytes) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::filesystem::path tmp = path;
  tmp += ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return MakeError(ErrorCode::kIo, "common.file_unwritable", {tmp.string(), "write"});
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return MakeError(ErrorCode::kIo, "common.file_unwritable", {path.string(), ec.message()});
  return Ok();
}

std::string UrlFor(const FeedUpdateOptions& o, const std::string& source) {
  auto it = o.urls.find(source);
  return it != o.urls.end() ? it->second : DefaultFeedUrl(source);
}

// Whole files: KEV and EPSS, re-fetched only when the ETag changed.
Result<FetchedSource> FetchWhole(const std::string& source, const std::string& name,
                                 const FeedSourceCursor& previous, const FeedUpdateOptions& o) {
  FetchedSource r;
  r.source = source;
  std::string url = UrlFor(o, source);
  std::vector<std::string> headers;
  std::filesystem::path path = std::filesystem::path(o.dir) / source / name;
  std::error_code ec;
  if (!previous.etag.empty() && std::filesystem::exists(path, ec))
    headers.push_back("If-None-Match: " + previous.etag);
  if (o.progress) o.progress(source, url);
  MAMORI_ASSIGN_OR_RETURN(auto resp, HttpGet(url, headers, o.http));
  r.requests = 1;
  if (resp.status == 304) {
    r.not_modified = true;
    r.next = previous;
    return r;
  }
  MAMORI_RETURN_IF_ERROR(WriteAtomically(path, resp.body));
  r.files.push_back(path.string());
  r.next.etag = resp.etag;
  return r;
}

Result<FetchedSource> FetchEol(const FeedUpdateOptions& o) {
  FetchedSource r;
  r.source = "eol";
  std::string tmpl = UrlFor(o, "eol");
  const auto& products = o.eol_products.empty() ? DefaultEolProducts() : o.eol_products;
  Error first_error;
  for (const auto& p : products) {
    std::string url = tmpl;
    auto at = url.find("{product}");
    if (at == std::string::npos)
      return MakeError(ErrorCode::kInvalidArgument, "feed.url_template", {"eol", url});
    url.replace(at, 9, p);
    if (o.progress) o.progress("eol", url);
    auto resp = HttpGet(url, {}, o.http);
    ++r.requests;
    // A product endoflife.date does not have (or no longer has) is reported, not fatal; when
    // none can be fetched the source failed.
    if (!resp.ok()) {
      if (first_error.code == ErrorCode::kInternal) first_error = resp.error();
      r.problems.push_back(resp.error());
      continue;
    }
    std::filesystem::path path = std::filesystem::path(o.dir) / "eol" / (p + ".md");
    MAMORI_RETURN_IF_ERROR(WriteAtomically(path, resp->body));
    r.files.push_back(path.string());
  }
  if (r.files.empty() && !r.problems.empty()) return first_error;
  return r;
}

// OSV: one archive per ecosystem, each re-fetched only when its own ETag changed (kept together
// as a JSON object in the source's etag). An ecosystem that fails is reported, not fatal.
Result<FetchedSource> FetchOsv(const FeedSourceCursor& previous, const FeedUpdateOptions& o) {
  FetchedSource r;
  r.source = "osv";
  std::string tmpl = UrlFor(o, "osv");
  const auto& ecosystems = o.osv_ecosystems.empty() ? DefaultOsvEcosystems() : o.osv_ecosystems;
  Json before = Json::parse(previous.etag.empty() ? "{}" : previous.etag, nullptr, false);
  if (!before.is_object()) before = Json::object();
  Json after = Json::object();
  Error first_error;
  for (const auto& eco : ecosystems) {
    std::string url = tmpl;
    auto at = url.find("{ecosystem}");
    if (at == std::string::npos)
      return MakeError(ErrorCode::kInvalidArgument, "feed.url_template", {"osv", url});
    std::string escaped, file_name;
    for (char c : eco) {
      escaped += c == ' ' ? std::string("%20") : std::string(1, c);
      file_name +=
          (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-') ? c : '_';
    }
    url.replace(at, 11, escaped);
    std::filesystem::path path = std::filesystem::path(o.dir) / "osv" / (file_name + "-all.zip");
    std::vector<std::string> headers;
    std::error_code ec;
    std::string old_tag = before.value(eco, "");
    if (!old_tag.empty() && std::filesystem::exists(path, ec))
      headers.push_back("If-None-Match: " + old_tag);
    if (o.progress) o.progress("osv", url);
    auto resp = HttpGet(url, headers, o.http);
    ++r.requests;
    if (!resp.ok()) {
      if (first_error.code == ErrorCode::kInternal) first_error = resp.error();
      r.problems.push_back(resp.error());
      if (!old_tag.empty()) after[eco] = old_tag;  // try it again next time from where it was
      continue;
    }
    if (resp->status == 304) {
      after[eco] = old_tag;
      continue;
    }
    MAMORI_RETURN_IF_ERROR(WriteAtomically(path, resp->body));
    r.files.push_back(path.string());
    after[eco] = resp->etag;
  }
  if (!r.problems.empty() && r.problems.size() == ecosystems.size()) return first_error;
  r.not_modified = r.files.empty() && r.problems.empty();
  r.next.etag = after.dump();
  return r;
}

// One MyJVN request: its body, parsed into doc, with a Status node that says it succeeded — else
// an error (key) naming the request and MyJVN's own code.
Result<std::string> GetMyJvn(const std::string& url, const char* key, const FeedUpdateOptions& o,
                             FetchedSource& r, pugi::xml_document& doc) {
  MAMORI_ASSIGN_OR_RETURN(auto resp, HttpGet(url, {}, o.http));
  ++r.requests;
  if (!doc.load_buffer(resp.body.data(), resp.body.size()))
    return MakeError(ErrorCode::kInvalidArgument, key, {url, "XML"});
  pugi::xml_node status = doc.document_element().child("status:Status");
  if (!status) return MakeError(ErrorCode::kInvalidArgument, key, {url, "Status"});
  if (status.attribute("retCd").as_int(1) != 0)
    return MakeError(ErrorCode::kInvalidArgument, key,
                     {url, status.attribute("errCd").as_string() + std::string(" ") +
                               status.attribute("errMsg").as_string()});
  return std::move(resp.body);
}

// getVulnDetailInfo of the entries an overview listed — the versions each product has affected
// (VULDEF's Affected), which the overview does not give — ten ids a request (MyJVN's retMax),
// each answer kept as jvn/jvn-detail-<since>-<first>.xml.
Status FetchJvnDetails(const std::vector<std::string>& ids, const std::string& base,
                       const std::string& since, const FeedUpdateOptions& o, FetchedSource& r) {
  constexpr size_t kPerRequest = 10;
  for (size_t at = 0; at < ids.size(); at += kPerRequest) {
    if (o.jvn_pause_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(o.jvn_pause_ms));
    std::string list;
    for (size_t k = at; k < std::min(ids.size(), at + kPerRequest); ++k) {
      if (!list.empty()) list += '+';
      list += ids[k];
    }
    std::string url = base + (base.find('?') == std::string::npos ? "?" : "&");
    url += "method=getVulnDetailInfo&feed=hnd&lang=ja&vulnId=";
    url += list;
    if (o.progress)
      o.progress("jvn", "detail " + std::to_string(at + 1) + "/" + std::to_string(ids.size()));
    pugi::xml_document doc;
    MAMORI_ASSIGN_OR_RETURN(auto body, GetMyJvn(url, "feed.jvn_detail_bad", o, r, doc));
    char name[64];
    std::snprintf(name, sizeof name, "-%08zu.xml", at + 1);
    std::filesystem::path path =
        std::filesystem::path(o.dir) / "jvn" / ("jvn-detail-" + Compact(since) + name);
    MAMORI_RETURN_IF_ERROR(WriteAtomically(path, body));
    r.files.push_back(path.string());
  }
  return Ok();
}

// JVN iPedia through MyJVN: getVulnOverviewList (HND: JVNRSS with mod_sec — title, CVEs, CPEs,
// CVSS) of the entries whose last update (datePublished, JST days) is on or after the last
// successful run's day, in pages of maxCountItem from startItem as the Status node says; then
// the details of those that name a product (FetchJvnDetails) unless options say not to.
Result<FetchedSource> FetchJvn(const FeedSourceCursor& previous, const FeedUpdateOptions& o) {
  FetchedSource r;
  r.source = "jvn";
  std::string base = UrlFor(o, "jvn");
  auto now = ParseTime(o.now_utc);
  if (!now) return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"now"});
  std::string today = FormatDateJst(*now);
  std::string since = !o.jvn_since.empty()       ? o.jvn_since
                      : !previous.cursor.empty() ? previous.cursor
                                                 : ledger::DaysBefore(today, 365);
  if (since.size() != 10)
    return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"since"});
  int page = std::clamp(o.jvn_page_size, 1, 50);
  int64_t start = 1, total = 1;
  bool first = true;
  std::vector<std::string> detail_ids;  // in the order listed
  while (start <= total) {
    if (!first && o.jvn_pause_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(o.jvn_pause_ms));
    first = false;
    std::string url = base + (base.find('?') == std::string::npos ? "?" : "&") +
                      "method=getVulnOverviewList&feed=hnd&lang=ja&rangeDatePublic=n&"
                      "rangeDatePublished=n&rangeDateFirstPublished=n&datePublishedStartY=" +
                      since.substr(0, 4) + "&datePublishedStartM=" + since.substr(5, 2) +
                      "&datePublishedStartD=" + since.substr(8, 2) +
                      "&startItem=" + std::to_string(start) +
                      "&maxCountItem=" + std::to_string(page);
    if (o.progress)
      o.progress("jvn", std::to_string(start) + "/" + (start == 1 ? "?" : std::to_string(total)));
    pugi::xml_document doc;
    MAMORI_ASSIGN_OR_RETURN(auto body, GetMyJvn(url, "feed.jvn_page_bad", o, r, doc));
    pugi::xml_node status = doc.document_element().child("status:Status");
    for (auto item : doc.document_element().children("item")) {
      std::string id = item.child_value("sec:identifier");
      if (id.rfind("JVNDB-", 0) == 0 && item.child("sec:cpe") &&
          std::find(detail_ids.begin(), detail_ids.end(), id) == detail_ids.end())
        detail_ids.push_back(id);
    }
    total = status.attribute("totalRes").as_llong(0);
    int64_t got = status.attribute("totalResRet").as_llong(0);
    int64_t at = status.attribute("firstRes").as_llong(start);
    if (got > 0) {
      char name[64];
      std::snprintf(name, sizeof name, "-%08lld.xml", static_cast<long long>(at));
      std::filesystem::path path =
          std::filesystem::path(o.dir) / "jvn" / ("jvn-overview-" + Compact(since) + name);
      MAMORI_RETURN_IF_ERROR(WriteAtomically(path, body));
      r.files.push_back(path.string());
    }
    if (got <= 0) break;  // an empty page: nothing more to ask for
    start = at + got;
  }
  if (o.jvn_details) MAMORI_RETURN_IF_ERROR(FetchJvnDetails(detail_ids, base, since, o, r));
  r.next.cursor = today;
  return r;
}

// NVD CVE API 2.0: pages of resultsPerPage from startIndex until totalResults; after a first
// complete run, only the CVEs modified since it (lastModStartDate/lastModEndDate).
Result<FetchedSource> FetchNvd(const FeedSourceCursor& previous, const FeedUpdateOptions& o) {
  FetchedSource r;
  r.source = "nvd";
  std::string base = UrlFor(o, "nvd");
  auto now = ParseTime(o.now_utc);
  if (!now) return MakeError(ErrorCode::kInvalidArgument, "common.bad_param", {"now"});
  long pause = o.nvd_pause_ms >= 0 ? o.nvd_pause_ms : (o.nvd_api_key.empty() ? 6000 : 600);
  std::vector<std::string> headers;
  if (!o.nvd_api_key.empty()) headers.push_back("apiKey: " + o.nvd_api_key);

  // The windows: none (everything) on the first run, else cursor → now in ≤ 120-day steps.
  std::vector<std::pair<UnixMillis, UnixMillis>> windows;
  auto from = ParseTime(!o.nvd_since.empty() ? o.nvd_since : previous.cursor);
  if (from) {
    for (UnixMillis start = *from; start < *now; start += kNvdWindowMs)
      windows.emplace_back(start, std::min(start + kNvdWindowMs, *now));
    if (windows.empty()) windows.emplace_back(*now, *now);
  } else {
    windows.emplace_back(0, 0);
  }
  simdjson::dom::parser parser;
  bool first_request = true;
  for (const auto& [start, end] : windows) {
    std::string range, tag = "full-" + Compact(o.now_utc);
    if (end != 0) {
      range = "&lastModStartDate=" + FormatUtc(start) + "&lastModEndDate=" + FormatUtc(end);
      // '+' must travel as %2B in a query string.
      for (size_t at = range.find('+'); at != std::string::npos; at = range.find('+', at))
        range.replace(at, 1, "%2B");
      tag = Compact(FormatUtc(start)) + "-" + Compact(FormatUtc(end));
    }
    int64_t index = 0, total = 1;
    while (index < total) {
      if (!first_request && pause > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(pause));
      first_request = false;
      std::string url = base;
      url += base.find('?') == std::string::npos ? "?" : "&";
      url += "resultsPerPage=" + std::to_string(o.nvd_page_size);
      url += "&startIndex=" + std::to_string(index);
      url += range;
      if (o.progress)
        o.progress("nvd", std::to_string(index) + "/" + (index == 0 ? "?" : std::to_string(total)));
      MAMORI_ASSIGN_OR_RETURN(auto resp, HttpGet(url, headers, o.http));
      ++r.requests;
      simdjson::padded_string padded(resp.body);
      simdjson::dom::element doc;
      int64_t got_total = 0, per_page = 0;
      if (parser.parse(padded).get(doc) != simdjson::SUCCESS ||
          doc["totalResults"].get_int64().get(got_total) != simdjson::SUCCESS ||
          doc["resultsPerPage"].get_int64().get(per_page) != simdjson::SUCCESS)
        return MakeError(ErrorCode::kInvalidArgument, "feed.nvd_page_bad", {url});
      total = got_total;
      char name[64];
      std::snprintf(name, sizeof name, "-%08lld.json", static_cast<long long>(index));
      std::filesystem::path path = std::filesystem::path(o.dir) / "nvd" / ("nvdcve-" + tag + name);
      if (got_total > 0) {
        MAMORI_RETURN_IF_ERROR(WriteAtomically(path, resp.body));
        r.files.push_back(path.string());
      }
      if (per_page <= 0) break;  // an empty page: nothing more to ask for
      index += per_page;
    }
  }
  r.next.cursor = o.now_utc;
  return r;
}

}  // namespace

Result<HttpResponse> HttpGet(const std::string& url, const std::vector<std::string>& headers,
                             const HttpOptions& options) {
  GlobalInit();
  std::string last_error;
  for (int attempt = 1;; ++attempt) {
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return MakeError(ErrorCode::kInternal, "common.internal");
    HttpResponse resp;
    std::unique_ptr<curl_slist, SlistDeleter> list;
    for (const auto& h : headers) list.reset(curl_slist_append(list.release(), h.c_str()));
    char errbuf[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "mamori (vulnerability feed update)");
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, options.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &resp.etag);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (list) curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    if (!options.proxy.empty()) curl_easy_setopt(c, CURLOPT_PROXY, options.proxy.c_str());
    if (!options.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
    CURLcode rc = curl_easy_perform(c);
    bool retry = false;
    if (rc != CURLE_OK) {
      last_error = errbuf[0] != 0 ? errbuf : curl_easy_strerror(rc);
      retry = rc != CURLE_URL_MALFORMAT && rc != CURLE_UNSUPPORTED_PROTOCOL;
    } else {
      curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
      if (resp.status < 400) return resp;
      last_error = "HTTP " + std::to_string(resp.status);
      retry = resp.status == 429 || resp.status >= 500;
    }
    if (!retry || attempt >= options.retries) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(options.retry_pause_ms * attempt));
  }
  if (!options.proxy.empty())
    return MakeError(ErrorCode::kUnavailable, "feed.fetch_failed_proxy",
                     {url, last_error, options.proxy});
  return MakeError(ErrorCode::kUnavailable, "feed.fetch_failed", {url, last_error});
}

const std::vector<std::string>& FeedSourceNames() {
  static const std::vector<std::string> kNames = {"nvd", "kev", "epss", "eol", "osv", "jvn"};
  return kNames;
}

std::string DefaultFeedUrl(const std::string& source) {
  if (source == "nvd") return "https://services.nvd.nist.gov/rest/json/cves/2.0";
  if (source == "kev")
    return "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
  if (source == "epss") return "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz";
  if (source == "eol")
    return "https://raw.githubusercontent.com/endoflife-date/endoflife.date/master/products/"
           "{product}.md";
  if (source == "osv")
    return "https://osv-vulnerabilities.storage.googleapis.com/{ecosystem}/all.zip";
  if (source == "jvn") return "https://jvndb.jvn.jp/myjvn";
  return "";
}

// The OSV ecosystems of the packages medical devices and hospital servers are built from (Linux
// distributions and the language package registries their SBOMs name).
const std::vector<std::string>& DefaultOsvEcosystems() {
  static const std::vector<std::string> kEcosystems = {"Debian", "Ubuntu", "Alpine", "PyPI",
                                                       "npm",    "Maven",  "NuGet",  "Go"};
  return kEcosystems;
}

// The endoflife.date products a hospital's ledger is made of (operating systems, office
// suites, databases, runtimes, network and server software).
const std::vector<std::string>& DefaultEolProducts() {
  static const std::vector<std::string> kProducts = {"windows",
                                                     "windows-server",
                                                     "windows-embedded",
                                                     "office",
                                                     "mssqlserver",
                                                     "dotnet",
                                                     "dotnetfx",
                                                     "openjdk-builds-from-oracle",
                                                     "amazon-corretto",
                                                     "azul-zulu",
                                                     "eclipse-temurin",
                                                     "chrome",
                                                     "firefox",
                                                     "fortios",
                                                     "cisco-ios-xe",
                                                     "panos",
                                                     "citrix-vad",
                                                     "rhel",
                                                     "ubuntu",
                                                     "debian",
                                                     "postgresql",
                                                     "mysql",
                                                     "openssl",
                                                     "tomcat",
                                                     "apache-http-server",
                                                     "nginx",
                                                     "php",
                                                     "python",
                                                     "nodejs",
                                                     "android",
                                                     "ios",
                                                     "macos"};
  return kProducts;
}

Result<FetchedSource> FetchFeedSource(const std::string& source, const FeedSourceCursor& previous,
                                      const FeedUpdateOptions& options) {
  if (source == "nvd") return FetchNvd(previous, options);
  if (source == "kev")
    return FetchWhole("kev", "known_exploited_vulnerabilities.json", previous, options);
  if (source == "epss") return FetchWhole("epss", "epss_scores-current.csv.gz", previous, options);
  if (source == "eol") return FetchEol(options);
  if (source == "osv") return FetchOsv(previous, options);
  if (source == "jvn") return FetchJvn(previous, options);
  return MakeError(ErrorCode::kInvalidArgument, "feed.unknown_source", {source});
}

}  // namespace mamori::vuln
