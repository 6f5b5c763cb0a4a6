// CPE 2.3 names: every match criterion in the NVD records of ../shared/testdata/vuln/nvd/ parses
// and formats back unchanged; name matching follows NISTIR 7696 with "review" instead of a guess.
#include "vuln/cpe.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "core/json_body.hpp"

namespace mamori::vuln {
namespace {

TEST(Cpe, EveryNvdCriterionParsesAndFormatsBack) {
  const char* shared = std::getenv("MAMORI_SHARED_DIR");
  ASSERT_NE(shared, nullptr);
  std::set<std::string> names;
  // Every string under "criteria", "cpe23Uri" or "cpeName", read as JSON (so escapes are JSON's).
  std::function<void(const Json&)> walk = [&](const Json& j) {
    if (j.is_object()) {
      for (const auto& [k, v] : j.items()) {
        if (v.is_string() && (k == "criteria" || k == "cpe23Uri" || k == "cpeName"))
          names.insert(v.get<std::string>());
        else
          walk(v);
      }
    } else if (j.is_array()) {
      for (const auto& v : j) walk(v);
    }
  };
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(std::string(shared) + "/testdata/vuln/nvd")) {
    std::string text;
    if (e.path().extension() == ".json") {
      std::ifstream f(e.path());
      std::stringstream ss;
      ss << f.rdbuf();
      text = ss.str();
    } else if (e.path().extension() == ".gz") {  // the NVD API responses are gzipped
      gzFile gz = gzopen(e.path().c_str(), "rb");
      ASSERT_NE(gz, nullptr);
      char buf[65536];
      int n = 0;
      while ((n = gzread(gz, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
      gzclose(gz);
    } else {
      continue;
    }
    Json j = Json::parse(text, nullptr, false);
    if (!j.is_discarded()) walk(j);
  }
  ASSERT_GT(names.size(), 1000u);
  for (const auto& n : names) {
    auto c = ParseCpe(n);
    ASSERT_TRUE(c.ok()) << n << ": " << c.error().Message(Lang::kEn);
    EXPECT_EQ(c->ToString(), n);
  }
}

Cpe P(const char* s) {
  auto c = ParseCpe(s);
  EXPECT_TRUE(c.ok()) << s;
  return c.ok() ? *c : Cpe{};
}

TEST(Cpe, MatchingIsThreeValued) {
  Cpe crit = P("cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*");
  EXPECT_EQ(MatchCpe(crit, P("cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*")).match,
            CpeMatch::kMatch);
  EXPECT_EQ(MatchCpe(crit, P("cpe:2.3:o:fortinet:fortimanager:7.0.12:*:*:*:*:*:*:*")).match,
            CpeMatch::kNoMatch);
  // A component of unknown vendor is never matched automatically.
  auto r = MatchCpe(crit, P("cpe:2.3:o:*:fortios:7.0.12:*:*:*:*:*:*:*"));
  EXPECT_EQ(r.match, CpeMatch::kReview);
  EXPECT_EQ(r.attribute, "vendor");
  EXPECT_EQ(Tr(Lang::kJa, r.reason_key, r.reason_args),
            "構成要素の vendor が不明なため自動では判定しません（脆弱性の条件: fortinet）");
  // A specific version against a component whose version is unknown: review.
  Cpe v = P("cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*");
  EXPECT_EQ(MatchCpe(v, P("cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*")).match, CpeMatch::kReview);
  EXPECT_EQ(MatchCpe(v, P("cpe:2.3:a:openssl:openssl:1.1.1w:*:*:*:*:*:*:*")).match,
            CpeMatch::kNoMatch);
  // Wildcards in the criterion are globs; escapes are literal; case does not matter.
  EXPECT_EQ(MatchCpe(P("cpe:2.3:a:microsoft:sql_server:2019*:*:*:*:*:*:*:*"),
                     P("cpe:2.3:a:Microsoft:SQL_Server:2019_cu18:*:*:*:*:*:*:*"))
                .match,
            CpeMatch::kMatch);
  EXPECT_EQ(MatchCpe(P("cpe:2.3:a:gnu:gcc\\+\\+:*:*:*:*:*:*:*:*"),
                     P("cpe:2.3:a:gnu:gcc\\+\\+:12:*:*:*:*:*:*:*"))
                .match,
            CpeMatch::kMatch);
  // NA in the criterion matches only NA.
  EXPECT_EQ(MatchCpe(P("cpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:*:*"),
                     P("cpe:2.3:o:microsoft:windows_10:22h2:*:*:*:*:*:*:*"))
                .match,
            CpeMatch::kNoMatch);
  // A "running on" hardware criterion: the target hardware must match too.
  EXPECT_EQ(MatchCpe(P("cpe:2.3:a:vendor:app:*:*:*:*:*:*:x64:*"),
                     P("cpe:2.3:a:vendor:app:1.0:*:*:*:*:*:arm64:*"))
                .match,
            CpeMatch::kNoMatch);
}

TEST(Cpe, AttributesAreViewsIntoOneName) {
  Cpe none;  // a component known only by its package URL
  EXPECT_EQ(none.Vendor(), "");
  EXPECT_EQ(none.ToString(), "cpe:2.3::::::::::::");
  Cpe c = P("cpe:2.3:a:gnu:gcc\\+\\+:*:*:*:*:*:*:*:*");
  EXPECT_EQ(c.Product(), "gcc\\+\\+");
  ASSERT_TRUE(c.Set(3, "12\\.1"));
  EXPECT_EQ(c.ToString(), "cpe:2.3:a:gnu:gcc\\+\\+:12\\.1:*:*:*:*:*:*:*");
  EXPECT_EQ(c.Version(), "12\\.1");
  EXPECT_EQ(c.Attr(10), "*");
  ASSERT_TRUE(none.Set(2, "app"));
  EXPECT_EQ(none.ToString(), "cpe:2.3:::app::::::::");
  // A name longer than the offsets hold is refused, never cut short.
  std::string huge(Cpe::kMaxLength, '1');
  EXPECT_FALSE(c.Set(3, huge));
  EXPECT_EQ(c.Version(), "12\\.1");
  auto too_long = ParseCpe("cpe:2.3:a:v:p:" + huge + ":*:*:*:*:*:*:*");
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().key, "cpe.bad_name");
}

// A version as people write it becomes a value the parser accepts, and reads back unchanged.
TEST(Cpe, TextEscapedAsAValueParsesAndReadsBack) {
  for (std::string text :
       {"7.0.12", "1.0 (build 5)", "2019+", "R2:SP1", "a*b?c", "x\\y", "v_1-2"}) {
    std::string value = CpeEscape(text);
    auto c = ParseCpe("cpe:2.3:a:vendor:product:" + value + ":*:*:*:*:*:*:*");
    ASSERT_TRUE(c.ok()) << text << " → " << value;
    EXPECT_EQ(CpeUnescape(c->Version()), text);
    EXPECT_FALSE(CpeHasWildcard(c->Version())) << value;  // escaped, "*" and "?" are literal
  }
  EXPECT_EQ(CpeEscape("1.0 (build 5)"), "1.0\\ \\(build\\ 5\\)");
}

TEST(Cpe, MalformedNamesAreRefusedWithThePosition) {
  for (const char* bad :
       {"cpe:/a:vendor:product", "cpe:2.3:a:vendor:product",
        "cpe:2.3:x:vendor:product:1:*:*:*:*:*:*:*", "cpe:2.3:a:ven dor:product:1:*:*:*:*:*:*:*",
        "cpe:2.3:a:vendor:product:1:*:*:*:*:*:*:*:extra", "cpe:2.3:a:vendor::1:*:*:*:*:*:*:*",
        "cpe:2.3:a:vendor:pro\\duct:1:*:*:*:*:*:*:*"}) {
    auto c = ParseCpe(bad);
    ASSERT_FALSE(c.ok()) << bad;
    EXPECT_EQ(c.error().key, "cpe.bad_name");
  }
  EXPECT_EQ(ParseCpe("cpe:2.3:a:ven dor:p:1:*:*:*:*:*:*:*").error().Message(Lang::kJa),
            "CPE名「cpe:2.3:a:ven dor:p:1:*:*:*:*:*:*:*」の14文字目が正しくありません（printable "
            "ASCII）");
}

// SplitCpe (sixteen bytes at a time where a name has no escape) gives what the byte-at-a-time
// reference gives: the same values, or the same error. Names of every length around the blocks'
// edges, from bytes of each kind (plain, separator, escape, a byte needing one, control, 8-bit).
TEST(Cpe, FastSplitAgreesWithTheReference) {
  const std::string kinds[] = {"a",   "Z",   "0", "_",    ".",    "-", "*", "?", ":", "\\",
                               "\\:", "\\a", " ", "\x7f", "\xe3", "@", "`", "{", "/", "\t"};
  uint64_t state = 20261204;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<size_t>(state >> 33);
  };
  size_t compared = 0, accepted = 0;
  auto compare = [&](const std::string& name) {
    CpeValues fast, slow;
    Status a = SplitCpe(name, &fast), b = SplitCpeReference(name, &slow);
    ASSERT_EQ(a.ok(), b.ok()) << name;
    if (a.ok()) {
      EXPECT_EQ(fast, slow) << name;
      ++accepted;
    } else {
      EXPECT_EQ(a.error().Message(Lang::kEn), b.error().Message(Lang::kEn)) << name;
    }
    ++compared;
  };
  for (int round = 0; round < 40000; ++round) {
    // Eleven attributes of 1-9 plain bytes; every other name then gets a byte (or two) of any
    // kind somewhere; now and then an attribute is missing or extra, or the part is wrong.
    std::string name = "cpe:2.3:";
    name += "aoh*x"[next() % 9 == 0 ? 4 : next() % 4];
    size_t attributes = 10 + (next() % 8 == 0 ? next() % 3 : 1) - 1;
    for (size_t k = 0; k < attributes; ++k) {
      name += ':';
      for (size_t n = 1 + next() % 9; n > 0; --n) name += kinds[next() % 7];
    }
    if (round % 2 == 1)
      name.insert(8 + next() % (name.size() - 7), kinds[next() % std::size(kinds)]);
    compare(name);
    // And every prefix of it longer than the head: lengths on each side of a block's edge.
    if (round % 100 == 0)
      for (size_t n = 8; n < name.size(); ++n) compare(name.substr(0, n));
  }
  std::string long_value(Cpe::kMaxLength, 'a');
  compare("cpe:2.3:a:v:p:" + long_value + ":*:*:*:*:*:*:*");
  compare("cpe:2.3:a:v:p:" + long_value.substr(0, Cpe::kMaxLength - 40) + ":*:*:*:*:*:*:*");
  EXPECT_GT(accepted, 15000U);  // both kinds of outcome were compared, many times
  EXPECT_GT(compared - accepted, 15000U);
}

}  // namespace
}  // namespace mamori::vuln
