// Vulnerability engine benchmark (issue #5), every result against a baseline measured in the
// same run:
//   1. NVD JSON read by mamori's loader (ReadNvdFeed: records, CVSS, configurations minified,
//      candidate products) against simdjson alone parsing the same bytes — on the largest real
//      sample (an NVD API page of 200 CVEs) and on a generated full-size feed of N CVEs (default
//      330 000) in 2 000-record pages, built from the 463 real records' shapes: each real record
//      repeated with a new CVE id and, from the second copy on, its products renamed into one of
//      150 variants (so that products carry a realistic number of CVEs, not 700 copies each).
//   2. `mamori vuln load` of that feed into a fresh SQLite database (the real binary), against
//      the same simdjson parse; its peak RSS.
//   3. Matching 10 000 and 1 000 000 components (100 per asset, 70 % of them products the feed
//      names, versions on both sides of the bounds) with the whole feed's configurations in
//      memory, against the index lookups alone: the verdicts alone, and with every finding's
//      evidence built; the peak RSS of each process ("everything loaded"); and the re-match of
//      the million after a 1 % feed delta.
// Each measurement runs in its own process (fork), so its peak RSS is its own. Linked with
// jemalloc, the allocator of the mamori binary.
//
//   vuln_bench MAMORI_BINARY SHARED_DIR WORK_DIR [CVES]   → a Markdown table on stdout
#include <simdjson.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/file.hpp"
#include "core/gzip.hpp"
#include "core/json_body.hpp"
#include "vuln/matcher.hpp"
#include "vuln/nvd.hpp"
#include "vuln/nvd_feed.hpp"

namespace fs = std::filesystem;
// The real records are read, and the generated feed written, with their keys in the order NVD
// writes them (id, sourceIdentifier, published…; a node's operator before its criteria; a
// metric's source, type and cvssData's version first): nlohmann::json sorts keys, which no NVD
// file does, and a reader that stops reading an object once it has what it needs would be
// measured on text NVD never serves.
using Json = nlohmann::ordered_json;
using namespace mamori::vuln;

namespace {

struct Sample {
  double seconds = 0;
  long max_rss_kib = 0;
  int status = 0;
};

// fn runs in a child; it writes its own timing (seconds) to the pipe when it measures only a
// part of its work (after setup), else the wall time of the whole child counts.
template <typename Fn>
Sample InChild(Fn fn) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    double inner = fn();
    if (write(fds[1], &inner, sizeof inner) != sizeof inner) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  double inner = -1;
  if (read(fds[0], &inner, sizeof inner) != sizeof inner) inner = -1;
  close(fds[0]);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  Sample s;
  s.seconds = inner >= 0
                  ? inner
                  : std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  s.max_rss_kib = ru.ru_maxrss;
  s.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return s;
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string ReadAll(const fs::path& p) {
  auto bytes = mamori::ReadFile(p.string());
  if (!bytes.ok()) std::abort();
  return std::move(*bytes);
}

// The distinct real records of the shared data (API pages, gzip or not).
std::vector<Json> RealRecords(const std::string& shared) {
  std::map<std::string, Json> by_id;
  for (const auto& e : fs::recursive_directory_iterator(shared + "/testdata/vuln/nvd")) {
    if (!e.is_regular_file()) continue;
    std::string name = e.path().filename().string();
    if (name.find("cves") == std::string::npos && name.find("CVE-") == std::string::npos &&
        name.find("page") == std::string::npos && name.find("entry") == std::string::npos)
      continue;
    auto bytes = mamori::MaybeGunzip(ReadAll(e.path()), name);
    if (!bytes.ok()) continue;
    Json j = Json::parse(*bytes, nullptr, false);
    if (!j.is_object() || !j.contains("vulnerabilities")) continue;
    for (const auto& v : j["vulnerabilities"])
      if (v.contains("cve") && v["cve"].contains("id"))
        by_id[v["cve"]["id"].get<std::string>()] = v;
  }
  std::vector<Json> out;
  out.reserve(by_id.size());
  for (auto& [id, v] : by_id) out.push_back(std::move(v));
  return out;
}

// criteria "cpe:2.3:a:vendor:product:…" with the product renamed to product_vNN.
void RenameProducts(Json& node, int variant) {
  if (node.is_object()) {
    for (auto& [k, v] : node.items()) {
      if (k == "criteria" && v.is_string()) {
        std::string c = v.get<std::string>();
        size_t p = 0;
        for (int i = 0; i < 4 && p != std::string::npos; ++i) p = c.find(':', p + 1);
        size_t end = p == std::string::npos ? p : c.find(':', p + 1);
        if (end != std::string::npos) c.insert(end, "_v" + std::to_string(variant));
        v = c;
      } else {
        RenameProducts(v, variant);
      }
    }
  } else if (node.is_array()) {
    for (auto& v : node) RenameProducts(v, variant);
  }
}

// Writes the generated feed; returns its pages and total bytes.
std::vector<fs::path> Generate(const std::vector<Json>& real, const fs::path& dir, int total,
                               size_t* bytes) {
  fs::create_directories(dir);
  std::vector<fs::path> pages;
  *bytes = 0;
  const int per_page = 2000;
  int n = 0;
  while (n < total) {
    Json page{{"resultsPerPage", per_page},
              {"startIndex", n},
              {"totalResults", total},
              {"format", "NVD_CVE"},
              {"version", "2.0"},
              {"timestamp", "2026-12-01T00:00:00.000"},
              {"vulnerabilities", Json::array()}};
    for (int k = 0; k < per_page && n < total; ++k, ++n) {
      int copy = n / static_cast<int>(real.size());
      Json v = real[static_cast<size_t>(n) % real.size()];
      v["cve"]["id"] = "CVE-" + std::to_string(1999 + n % 27) + "-" + std::to_string(100000 + n);
      if (copy > 0) RenameProducts(v["cve"], copy % 150);
      page["vulnerabilities"].push_back(std::move(v));
    }
    fs::path p = dir / ("page-" + std::to_string(pages.size()) + ".json");
    std::string text = page.dump();
    *bytes += text.size();
    std::ofstream(p, std::ios::binary) << text;
    pages.push_back(p);
  }
  return pages;
}

// simdjson alone over the pages (the baseline), and mamori's reader over the same pages. Each is
// timed on its second pass over the pages, the first untimed: both then run with their buffers
// grown to the largest page (the reader's parser and padded copy are the thread's, kept from
// page to page; the baseline keeps its own the same way). Timed from cold, the allocator was
// measured — with jemalloc, which the mamori binary has, a parser's buffers growing page by
// page came back as fresh pages to fault in, and a fresh process's first pass did the same.
// `per_page` over every page, timed on the second pass.
template <typename Fn>
double SecondPass(const std::vector<std::string>& texts, Fn per_page) {
  double secs = 0;
  for (int pass = 0; pass < 2; ++pass) {
    auto t = std::chrono::steady_clock::now();
    for (const auto& s : texts) per_page(s);
    secs = Since(t);
  }
  return secs;
}

double ParseOnly(const std::vector<std::string>& texts) {
  simdjson::dom::parser parser;
  std::string padded;
  size_t sink = 0;
  double secs = SecondPass(texts, [&](const std::string& s) {
    padded.reserve(s.size() + simdjson::SIMDJSON_PADDING);
    padded.assign(s);
    auto doc = parser.parse(padded.data(), padded.size(), false);
    if (doc.error()) std::abort();
    sink += doc["vulnerabilities"].get_array().size();
  });
  if (sink == 0) std::abort();
  return secs;
}

double ReadOnly(const std::vector<std::string>& texts) {
  size_t sink = 0;
  double secs = SecondPass(texts, [&](const std::string& s) {
    auto r = ReadNvdFeed(s, "page.json");
    if (!r.ok()) std::abort();
    sink += r->records.size();
  });
  if (sink == 0) std::abort();
  return secs;
}

std::vector<std::string> Texts(const std::vector<fs::path>& pages) {
  std::vector<std::string> out;
  out.reserve(pages.size());
  for (const auto& p : pages) out.push_back(ReadAll(p));
  return out;
}

// Components: 70 % name a product of the feed (a CPE with a version near its bounds), 30 %
// products no CVE names.
std::vector<MatchTarget> Components(const std::vector<std::unique_ptr<CandidateCve>>& cves,
                                    size_t count) {
  std::vector<std::pair<std::string, std::string>> products;
  std::vector<std::string> versions;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& c : cves) {
    for (const auto& p : c->products)
      if (seen.insert(p).second) products.push_back(p);
    for (const auto& cfg : c->configurations)
      for (const auto& node : cfg.nodes)
        for (const auto& m : node.matches)
          for (const auto* b : {m.start_including ? &m.start : nullptr, &m.end})
            if (b != nullptr && !b->empty() && versions.size() < 5000) versions.push_back(*b);
  }
  if (versions.empty()) versions.push_back("1.0");
  std::mt19937 rng(20261201);
  std::vector<MatchTarget> targets;
  for (size_t i = 0; i < count; ++i) {
    if (i % 100 == 0) {
      targets.emplace_back();
      targets.back().target = "asset:" + std::to_string(i / 100);
    }
    MatchComponent mc;
    std::string vendor, product;
    if (rng() % 10 < 7) {
      std::tie(vendor, product) = products[rng() % products.size()];
    } else {
      vendor = "hospital";
      product = "inhouse_app_" + std::to_string(rng() % 50000);
    }
    std::string version = versions[rng() % versions.size()];
    std::string cpe = "cpe:2.3:a:" + vendor;
    cpe += ":" + product;
    cpe += ":" + version;
    cpe += ":*:*:*:*:*:*:*";
    auto parsed = ParseCpe(cpe);
    if (!parsed.ok()) continue;
    mc.component.cpe = *parsed;
    mc.name = product;
    mc.version = version;
    targets.back().components.push_back(std::move(mc));
  }
  return targets;
}

// Every CVE of the pages as the matcher takes them, read a page at a time (as `vuln match`
// reads its candidates from the store, row by row): the peak RSS is that of the loaded index.
std::vector<std::unique_ptr<CandidateCve>> LoadCandidates(const std::vector<fs::path>& pages) {
  std::vector<std::unique_ptr<CandidateCve>> cves;
  for (const auto& page : pages) {
    std::string text = ReadAll(page);
    auto read = ReadNvdFeed(text, "page.json");
    if (!read.ok()) std::abort();
    for (const auto& rec : read->records) {
      auto c = std::make_unique<CandidateCve>();
      c->id = rec.id;
      c->configurations = *ParseConfigurations(rec.configurations, c->id);
      c->products.assign(rec.products.begin(), rec.products.end());
      cves.push_back(std::move(c));
    }
  }
  return cves;
}

std::string Fixed(double v, int digits = 2) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Mib(long kib) {
  return std::to_string(kib / 1024);
}

Sample MedianOf(std::vector<Sample> s) {
  std::sort(s.begin(), s.end(),
            [](const Sample& a, const Sample& b) { return a.seconds < b.seconds; });
  return s[s.size() / 2];
}

template <typename Fn>
Sample Median(int runs, Fn fn) {
  std::vector<Sample> s;
  s.reserve(static_cast<size_t>(runs));
  for (int i = 0; i < runs; ++i) s.push_back(InChild(fn));
  return MedianOf(std::move(s));
}

// The medians of a baseline and of what is measured against it, their runs alternating: a slow
// phase of the machine (this VM has them: everything, the baselines too, slows by a third or
// more for minutes) then falls on both, not on all the runs of one of them.
template <typename Base, typename Fn>
std::pair<Sample, Sample> Medians(int runs, Base base, Fn fn) {
  std::vector<Sample> a, b;
  for (int i = 0; i < runs; ++i) {
    a.push_back(InChild(base));
    b.push_back(InChild(fn));
  }
  return {MedianOf(std::move(a)), MedianOf(std::move(b))};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: vuln_bench MAMORI_BINARY SHARED_DIR WORK_DIR [CVES]\n");
    return 2;
  }
  std::string bin = argv[1], shared = argv[2];
  fs::path work = argv[3];
  int total = argc > 4 ? std::atoi(argv[4]) : 330000;
  std::vector<Json> real = RealRecords(shared);
  std::fprintf(stderr, "vuln_bench: %zu real records\n", real.size());
  // MAMORI_BENCH_PROFILE=N: only generate and match N components in this process (for perf).
  if (const char* prof = std::getenv("MAMORI_BENCH_PROFILE")) {
    size_t bytes = 0;
    std::vector<fs::path> pages;
    // MAMORI_BENCH_REUSE=1: the pages a run before generated in WORK_DIR/nvd (alternating runs
    // of two builds then spend their time matching, not writing 700 MB of JSON).
    if (std::getenv("MAMORI_BENCH_REUSE") != nullptr && fs::exists(work / "nvd")) {
      for (const auto& e : fs::directory_iterator(work / "nvd")) pages.push_back(e.path());
      std::sort(pages.begin(), pages.end());
    } else {
      pages = Generate(real, work / "nvd", total, &bytes);
    }
    // Resident memory now and at its peak, after each step.
    auto rss = [](const char* step) {
      long pages_now = 0, ignored = 0;
      std::ifstream("/proc/self/statm") >> ignored >> pages_now;
      rusage ru{};
      getrusage(RUSAGE_SELF, &ru);
      std::fprintf(stderr, "%-22s RSS %5ld MiB, peak %5ld MiB\n", step,
                   pages_now * sysconf(_SC_PAGESIZE) / (1024L * 1024L), ru.ru_maxrss / 1024);
    };
    rss("generated");
    // MAMORI_BENCH_FORKS=K: K processes each loading the feed, making the components and
    // timing their verdicts (Matcher::Verdicts), and K the full match (MatchTargets),
    // alternating — as the table's rows measure them, for comparing two builds run in turn.
    if (const char* forks = std::getenv("MAMORI_BENCH_FORKS")) {
      auto run = [&](bool full) {
        return InChild([&, full] {
          std::vector<std::unique_ptr<CandidateCve>> cves = LoadCandidates(pages);
          std::vector<MatchTarget> targets = Components(cves, std::strtoul(prof, nullptr, 10));
          CandidateIndex index = BuildIndex(cves);
          auto t0 = std::chrono::steady_clock::now();
          size_t n = full ? MatchTargets(targets, index).size()
                          : Matcher(targets, index).Verdicts().size();
          return n == static_cast<size_t>(-1) ? 0.0 : Since(t0);
        });
      };
      std::vector<Sample> verdicts, matched;
      for (unsigned long k = 0; k < std::strtoul(forks, nullptr, 10); ++k) {
        verdicts.push_back(run(false));
        matched.push_back(run(true));
        std::fprintf(stderr, "fork %lu: verdicts %.3f s, matched %.3f s\n", k,
                     verdicts.back().seconds, matched.back().seconds);
      }
      std::fprintf(stderr, "medians: verdicts %.3f s, matched %.3f s\n", MedianOf(verdicts).seconds,
                   MedianOf(matched).seconds);
      return 0;
    }
    std::vector<std::unique_ptr<CandidateCve>> cves = LoadCandidates(pages);
    rss("CVEs loaded");
    CandidateIndex index = BuildIndex(cves);
    rss("index built");
    std::vector<MatchTarget> targets = Components(cves, std::strtoul(prof, nullptr, 10));
    rss("components made");
    size_t evaluations = 0;
    for (const auto& tg : targets)
      for (const auto& c : tg.components)
        if (auto it = index.by_product.find(ProductOf(c.component)); it != index.by_product.end())
          evaluations += it->second.size();
    std::fprintf(stderr, "%zu CVEs, %zu products, %zu evaluations\n", cves.size(),
                 index.by_product.size(), evaluations);
    // MAMORI_BENCH_REPEAT=K: match K times, so that a profile is mostly the matching; every
    // other time with the criteria (as MatchTargets finds them), to compare the two in one phase
    // of the machine.
    const char* rep = std::getenv("MAMORI_BENCH_REPEAT");
    for (unsigned long k = 1; rep && k < std::strtoul(rep, nullptr, 10); ++k) {
      auto t0 = std::chrono::steady_clock::now();
      Matcher m(targets, index);
      double set_up = Since(t0);
      FoundCriteria criteria;
      (void)(k % 2 == 0 ? m.Verdicts(&criteria) : m.Verdicts());
      double found = Since(t0);
      std::fprintf(stderr, "repeat %lu: set up %.3f s, verdicts%s %.3f s\n", k, set_up,
                   k % 2 == 0 ? " with criteria" : "", found);
    }
    auto tv = std::chrono::steady_clock::now();
    size_t verdicts = 0;
    {
      Matcher m(targets, index);
      std::fprintf(stderr, "matcher set up in %.3f s\n", Since(tv));
      rss("matcher set up");
      verdicts = m.Verdicts().size();
      rss("verdicts");
    }
    std::fprintf(stderr, "verdicts in %.3f s: %zu\n", Since(tv), verdicts);
    // MAMORI_BENCH_EXPLAIN=K: find the criteria of every finding K more times (for perf).
    const char* ex = std::getenv("MAMORI_BENCH_EXPLAIN");
    if (ex != nullptr) {
      Matcher m(targets, index);
      auto found = m.Verdicts();
      mamori::vuln::CriterionRefs refs;
      refs.reserve(found.size() * 9 / 8);
      for (unsigned long k = 0; k < std::strtoul(ex, nullptr, 10); ++k) {
        auto t0 = std::chrono::steady_clock::now();
        refs.clear();
        for (const auto& v : found) (void)m.Criteria(v, &refs);
        std::fprintf(stderr, "explain %lu: %.3f s, %zu criteria (one thread)\n", k, Since(t0),
                     refs.size());
      }
    }
    auto t = std::chrono::steady_clock::now();
    Matches matches = MatchTargets(targets, index);
    size_t affected = 0;
    for (size_t i = 0; i < matches.size(); ++i)
      affected += matches.VerdictOf(i) == Verdict::kAffected;
    std::fprintf(stderr, "matched in %.3f s: %zu matches (%zu affected)\n", Since(t),
                 matches.size(), affected);
    rss("matched");
    t = std::chrono::steady_clock::now();
    size_t written = 0;
    for (const auto& m : matches.Written()) written += m.evidence.size();
    std::fprintf(stderr, "written out in %.3f s: %zu evidence items\n", Since(t), written);
    rss("written out");
    return 0;
  }

  // MAMORI_BENCH_READ=K: only read the pages a run before generated in WORK_DIR/nvd, K times,
  // simdjson alone and the reader (for perf).
  if (const char* rd = std::getenv("MAMORI_BENCH_READ")) {
    std::vector<fs::path> pages;
    for (const auto& e : fs::directory_iterator(work / "nvd")) pages.push_back(e.path());
    std::sort(pages.begin(), pages.end());
    // MAMORI_BENCH_READ_FORK=1: as the table measures them, each run in its own process.
    if (std::getenv("MAMORI_BENCH_READ_FORK") != nullptr) {
      for (unsigned long k = 0; k < std::strtoul(rd, nullptr, 10); ++k) {
        auto [parse, read] = Medians(
            1, [&] { return ParseOnly(Texts(pages)); }, [&] { return ReadOnly(Texts(pages)); });
        std::fprintf(stderr, "%zu pages: simdjson %.4f s, reader %.4f s (own processes)\n",
                     pages.size(), parse.seconds, read.seconds);
      }
      return 0;
    }
    std::vector<std::string> texts = Texts(pages);
    // MAMORI_BENCH_READER_ALONE=1: the reader only (a profile of its own work).
    bool alone = std::getenv("MAMORI_BENCH_READER_ALONE") != nullptr;
    for (unsigned long k = 0; k < std::strtoul(rd, nullptr, 10); ++k)
      std::fprintf(stderr, "%zu pages: simdjson %.4f s, reader %.4f s\n", pages.size(),
                   alone ? 0.0 : ParseOnly(texts), ReadOnly(texts));
    return 0;
  }

  // 1a. The largest real sample, many times over for a stable time.
  fs::path largest = fs::path(shared) / "testdata/vuln/nvd/nvd-go-api-responses/cves-2023.json.gz";
  std::string sample = *mamori::MaybeGunzip(ReadAll(largest), "cves-2023.json.gz");
  std::vector<std::string> repeated(50, sample);
  auto [real_parse, real_read] = Medians(
      5, [&] { return ParseOnly(repeated); }, [&] { return ReadOnly(repeated); });

  // 1b. The generated full-size feed.
  size_t bytes = 0;
  std::fprintf(stderr, "vuln_bench: generating %d CVEs\n", total);
  std::vector<fs::path> pages = Generate(real, work / "nvd", total, &bytes);
  auto [gen_parse, gen_read] = Medians(
      5, [&] { return ParseOnly(Texts(pages)); }, [&] { return ReadOnly(Texts(pages)); });

  // 2. The real binary loads the generated feed into a fresh database.
  std::fprintf(stderr, "vuln_bench: mamori vuln load\n");
  fs::remove(work / "bench.db");
  std::string init =
      bin + " --db " + (work / "bench.db").string() + " demo seed --no-feeds >/dev/null";
  if (std::system(init.c_str()) != 0) return 1;
  fs::path rss_file = work / "load.rss";
  Sample load = InChild([&] {
    std::string cmd = bin + " --db " + (work / "bench.db").string() + " vuln load " +
                      (work / "nvd").string() + " >/dev/null";
    auto t = std::chrono::steady_clock::now();
    if (std::system(cmd.c_str()) != 0) _exit(1);
    double secs = Since(t);
    rusage ru{};
    getrusage(RUSAGE_CHILDREN, &ru);  // the mamori process's peak
    std::ofstream(rss_file) << ru.ru_maxrss;
    return secs;
  });
  long load_rss_kib = 0;
  std::ifstream(rss_file) >> load_rss_kib;

  // 3. Matching with everything in memory.
  std::fprintf(stderr, "vuln_bench: matching\n");
  struct MatchResult {
    double lookup = 0, match = 0;
    size_t matches = 0;
  };
  // mode 0: index lookups only; 1: the verdicts (Matcher::Verdicts: every pair found affected
  // or in need of review, without evidence); 3: a full match (MatchTargets: the same with the
  // criteria that made every finding); 4: that match with every finding's evidence written out
  // as text (Matches::Written); 2: the full match after a 1 % feed delta (the unchanged assets
  // against every 100th CVE, as `vuln match` evaluates them incrementally).
  auto match_run = [&](size_t n, int mode) {
    return Median(3, [&, n, mode] {
      std::vector<std::unique_ptr<CandidateCve>> cves = LoadCandidates(pages);
      std::vector<MatchTarget> targets = Components(cves, n);
      if (mode == 2) {
        std::vector<std::unique_ptr<CandidateCve>> delta;
        for (size_t i = 0; i < cves.size(); i += 100) delta.push_back(std::move(cves[i]));
        cves = std::move(delta);
      }
      CandidateIndex index = BuildIndex(cves);
      auto t = std::chrono::steady_clock::now();
      size_t sink = 0;
      if (mode == 0) {
        for (const auto& tg : targets)
          for (const auto& c : tg.components)
            if (auto it = index.by_product.find(ProductOf(c.component));
                it != index.by_product.end())
              sink += it->second.size();
      } else if (mode == 1) {
        sink = Matcher(targets, index).Verdicts().size();
      } else if (mode == 4) {
        sink = MatchTargets(targets, index).Written().size();
      } else {
        sink = MatchTargets(targets, index).size();
      }
      double secs = Since(t);
      if (sink == static_cast<size_t>(-1)) std::abort();
      return secs;
    });
  };
  Sample lookup10k = match_run(10000, 0), verdict10k = match_run(10000, 1),
         match10k = match_run(10000, 3), written10k = match_run(10000, 4);
  Sample lookup1m = match_run(1000000, 0), verdict1m = match_run(1000000, 1),
         match1m = match_run(1000000, 3), written1m = match_run(1000000, 4);
  Sample delta1m = match_run(1000000, 2);

  double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
  auto speed = [](double mb, double s) { return Fixed(mb / s, 0); };
  double sample_mib = 50.0 * static_cast<double>(sample.size()) / (1024.0 * 1024.0);
  std::printf(
      "Generated feed: %d CVEs in %zu pages, %s MiB of JSON, from %zu real records (products in "
      "150 variants). Medians of 5 (simdjson and reader rows, their runs alternating) and 3 (each "
      "matching row) runs; each measurement its own process; the simdjson and reader rows each "
      "timed on a second pass over the same pages, after an untimed first (buffers grown, as in a "
      "long-running loader). jemalloc, as in the mamori binary.\n\n",
      total, pages.size(), Fixed(mib, 0).c_str(), real.size());
  std::printf(
      "| step | seconds | MiB/s | speed vs simdjson parse | peak RSS MiB "
      "|\n|---|---|---|---|---|\n");
  std::printf(
      "| real page (200 CVEs, NVD API) × 50: simdjson parse (baseline) | %s | %s | 100 %% | %s |\n",
      Fixed(real_parse.seconds, 3).c_str(), speed(sample_mib, real_parse.seconds).c_str(),
      Mib(real_parse.max_rss_kib).c_str());
  std::printf("| real page × 50: mamori reader (ReadNvdFeed) | %s | %s | %s %% | %s |\n",
              Fixed(real_read.seconds, 3).c_str(), speed(sample_mib, real_read.seconds).c_str(),
              Fixed(100 * real_parse.seconds / real_read.seconds, 0).c_str(),
              Mib(real_read.max_rss_kib).c_str());
  std::printf("| generated feed: simdjson parse (baseline) | %s | %s | 100 %% | %s |\n",
              Fixed(gen_parse.seconds).c_str(), speed(mib, gen_parse.seconds).c_str(),
              Mib(gen_parse.max_rss_kib).c_str());
  std::printf("| generated feed: mamori reader (ReadNvdFeed) | %s | %s | %s %% | %s |\n",
              Fixed(gen_read.seconds).c_str(), speed(mib, gen_read.seconds).c_str(),
              Fixed(100 * gen_parse.seconds / gen_read.seconds, 0).c_str(),
              Mib(gen_read.max_rss_kib).c_str());
  std::printf("| generated feed: `mamori vuln load` into SQLite (%s) | %s | %s | %s %% | %s |\n",
              load.status == 0 ? "stored, audited" : "FAILED", Fixed(load.seconds).c_str(),
              speed(mib, load.seconds).c_str(),
              Fixed(100 * gen_parse.seconds / load.seconds, 1).c_str(), Mib(load_rss_kib).c_str());
  std::printf(
      "\n| matching (all %d CVEs' configurations in memory) | ms | vs index lookups alone | goal | "
      "peak RSS MiB |\n|---|---|---|---|---|\n",
      total);
  auto row = [](const char* what, const Sample& x, const Sample& base, const char* goal) {
    std::printf("| %s | %s | %s× | %s | %s |\n", what, Fixed(x.seconds * 1000, 1).c_str(),
                Fixed(x.seconds / base.seconds, 1).c_str(), goal, Mib(x.max_rss_kib).c_str());
  };
  row("10 000 components: index lookups (baseline)", lookup10k, lookup10k, "");
  row("10 000 components: verdicts (Matcher::Verdicts)", verdict10k, lookup10k, "≤ 100 ms");
  row("10 000 components: with every finding's evidence, as the criteria that made it "
      "(MatchTargets)",
      match10k, lookup10k, "≤ 100 ms");
  row("10 000 components: that evidence written out as text for every finding (Written)",
      written10k, lookup10k, "");
  row("1 000 000 components: index lookups (baseline)", lookup1m, lookup1m, "");
  row("1 000 000 components: verdicts (Matcher::Verdicts)", verdict1m, lookup1m, "≤ 1 000 ms");
  row("1 000 000 components: with every finding's evidence, as the criteria that made it "
      "(MatchTargets)",
      match1m, lookup1m, "≤ 1 000 ms");
  row("1 000 000 components: that evidence written out as text for every finding (Written)",
      written1m, lookup1m, "");
  std::printf(
      "| 1 000 000 components: re-match after a 1 %% feed delta (%d CVEs changed) | %s | %s× "
      "(%s %% of the full match) | | %s |\n",
      total / 100, Fixed(delta1m.seconds * 1000, 0).c_str(),
      Fixed(delta1m.seconds / lookup1m.seconds, 1).c_str(),
      Fixed(100 * delta1m.seconds / match1m.seconds, 1).c_str(), Mib(delta1m.max_rss_kib).c_str());
  return 0;
}
