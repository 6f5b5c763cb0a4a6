// Version order per scheme. Debian against dpkg itself on the real version lists of
// ../shared/testdata/vuln/osv/versions/TestDebian_GetVersions.yaml (snapshot.debian.org answers);
// SemVer against the order the specification lists; RPM against cases from rpm's own test suite
// (rpmvercmp.at); PEP 440 against the order of the specification's examples; Maven against the
// lists of Maven's own ComparableVersionTest and, as a total order, on the real guava version list
// of ../shared/testdata/vuln/osv/versions/TestMaven_GetVersions.yaml; the generic scheme on
// vendors' version strings.
#include "vuln/version.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace mamori::vuln {
namespace {

int Sign(int x) {
  return x < 0 ? -1 : x > 0 ? 1 : 0;
}

TEST(Version, DebianAgreesWithDpkgOnRealVersionLists) {
  const char* shared = std::getenv("MAMORI_SHARED_DIR");
  ASSERT_NE(shared, nullptr);
  std::ifstream f(std::string(shared) + "/testdata/vuln/osv/versions/TestDebian_GetVersions.yaml");
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  std::regex re(R"re(\\?"version\\?"\s*:\s*\\?"([^"\\]+)\\?")re");
  std::vector<std::string> versions;
  std::set<std::string> seen;
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
    if (seen.insert((*it)[1].str()).second) versions.push_back((*it)[1].str());
  ASSERT_GT(versions.size(), 500u);
  // Pairs: neighbours in the lists (close versions, the hard cases) and random ones.
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 1; i < versions.size() && pairs.size() < 400; i += 3)
    pairs.emplace_back(versions[i - 1], versions[i]);
  std::mt19937 rng(20261122);
  std::uniform_int_distribution<size_t> pick(0, versions.size() - 1);
  for (int i = 0; i < 200; ++i) pairs.emplace_back(versions[pick(rng)], versions[pick(rng)]);
  // One shell runs dpkg for every pair; each line prints lt, eq or gt.
  std::string script;
  for (const auto& [a, b] : pairs)
    script += "if dpkg --compare-versions '" + a + "' lt '" + b +
              "'; then echo -1; elif dpkg "
              "--compare-versions '" +
              a + "' eq '" + b + "'; then echo 0; else echo 1; fi\n";
  std::string path = ::testing::TempDir() + "/dpkg_pairs.sh";
  std::ofstream(path) << script;
  FILE* p = popen(("sh " + path).c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::vector<int> expected;
  char line[16];
  while (fgets(line, sizeof line, p)) expected.push_back(std::atoi(line));
  pclose(p);
  ASSERT_EQ(expected.size(), pairs.size());
  int differing = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    int ours = Sign(CompareVersions(VersionScheme::kDebian, pairs[i].first, pairs[i].second));
    if (ours != expected[i]) ++differing;
    EXPECT_EQ(ours, expected[i]) << pairs[i].first << " vs " << pairs[i].second;
  }
  EXPECT_EQ(differing, 0);
}

TEST(Version, DebianRules) {
  auto c = [](const char* a, const char* b) {
    return Sign(CompareVersions(VersionScheme::kDebian, a, b));
  };
  EXPECT_EQ(c("1.0~rc1-1", "1.0-1"), -1);  // tilde before the release
  EXPECT_EQ(c("1:1.0-1", "2.0-1"), 1);     // epoch first
  EXPECT_EQ(c("1.0-1+deb12u1", "1.0-1"), 1);
  EXPECT_EQ(c("1.0-1~bpo12+1", "1.0-1"), -1);
  EXPECT_EQ(c("1.01", "1.1"), 0);
  // NUL bytes (found by version_fuzz): ordered, not read past the end.
  EXPECT_EQ(CompareVersions(VersionScheme::kDebian, std::string_view("\0\0\0\0", 4), ""), 0);
}

TEST(Version, SemverFollowsTheSpecificationsExample) {
  const char* order[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                         "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                         "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                         "1.1.0",       "2.0.0"};
  for (size_t i = 0; i < std::size(order); ++i)
    for (size_t j = 0; j < std::size(order); ++j)
      EXPECT_EQ(Sign(CompareVersions(VersionScheme::kSemver, order[i], order[j])), i < j   ? -1
                                                                                   : i > j ? 1
                                                                                           : 0)
          << order[i] << " vs " << order[j];
  EXPECT_EQ(CompareVersions(VersionScheme::kSemver, "1.0.0+build.5", "1.0.0"), 0);
  EXPECT_EQ(CompareVersions(VersionScheme::kSemver, "v2.1.3", "2.1.3"), 0);
}

TEST(Version, RpmMatchesRpmvercmpCases) {
  struct Case {
    const char* a;
    const char* b;
    int want;
  };
  for (const Case& k : std::initializer_list<Case>{{"1.0", "1.0", 0},
                                                   {"1.0", "2.0", -1},
                                                   {"2.0.1", "2.0", 1},
                                                   {"2.0.1a", "2.0.1", 1},
                                                   {"5.5p1", "5.5p10", -1},
                                                   {"10xyz", "10.1xyz", -1},
                                                   {"xyz10", "xyz10.1", -1},
                                                   {"xyz.4", "8", -1},
                                                   {"5.6p1", "5.5p2", 1},
                                                   {"6.0.rc1", "6.0", 1},
                                                   {"10b2", "10a1", 1},
                                                   {"1.0a", "1.0aa", -1},
                                                   {"10.0001", "10.1", 0},
                                                   {"4.999.9", "5.0", -1},
                                                   {"2_0", "2.0", 0},
                                                   {"a+", "a_", 0},
                                                   {"1.0~rc1", "1.0", -1},
                                                   {"1.0~rc1", "1.0~rc2", -1},
                                                   {"1.0~rc1~git123", "1.0~rc1", -1},
                                                   {"1.0^", "1.0", 1},
                                                   {"1.0^git1", "1.0", 1},
                                                   {"1.0^git1", "1.01", -1},
                                                   {"1.0^20160101", "1.0.1", -1},
                                                   {"1.0~rc1^git1", "1.0~rc1", 1},
                                                   {"1:1.0-1", "2.0-1", 1},
                                                   {"1.0-2", "1.0-10", -1}}) {
    EXPECT_EQ(Sign(CompareVersions(VersionScheme::kRpm, k.a, k.b)), k.want) << k.a << " vs " << k.b;
  }
}

TEST(Version, GenericOrdersVendorVersions) {
  auto c = [](const char* a, const char* b) {
    return Sign(CompareVersions(VersionScheme::kGeneric, a, b));
  };
  EXPECT_EQ(c("10.0.19045.3803", "10.0.19045.4046"), -1);  // Windows builds
  EXPECT_EQ(c("10.0.19045.3803", "10.0.19044.9999"), 1);
  EXPECT_EQ(c("7.0.12", "7.0.9"), 1);  // FortiOS
  EXPECT_EQ(c("1.1.1k", "1.1.1"), 1);  // OpenSSL letters
  EXPECT_EQ(c("1.1.1k", "1.1.1w"), -1);
  EXPECT_EQ(c("2.0rc1", "2.0"), -1);
  EXPECT_EQ(c("2.0-beta2", "2.0-rc1"), -1);
  EXPECT_EQ(c("2.0rc1", "2.0.1"), -1);
  EXPECT_EQ(c("1.0", "1.0.0"), 0);
  // Zero parts past the end decide nothing; a later part does (a bound of 7.0.0.1 is above 7.0).
  EXPECT_EQ(c("1", "1.0.5"), -1);
  EXPECT_EQ(c("7.0.0.1", "7.0"), 1);
  EXPECT_EQ(c("2.0", "2.0.0.0.0"), 0);
  EXPECT_EQ(c("2", "2.0.0rc1"), 1);
  EXPECT_EQ(c("2", "2.0.0k"), -1);
  EXPECT_EQ(c("Rev.14.01.38", "Rev.14.01.40"), -1);  // Yamaha RTX
  EXPECT_EQ(ParseVersionScheme("dpkg"), VersionScheme::kDebian);
  EXPECT_EQ(ParseVersionScheme("npm"), std::nullopt);
}

// Versions at the generic scheme's edges (empty, dots alone, repeated and trailing, leading zeros,
// Windows builds, letters), then `count` generated from pieces — mostly the first `common`, now
// and then any — one to max_parts of them, joined by a dot (now and then two).
std::vector<std::string> EdgeAndGeneratedVersions(const std::vector<std::string>& pieces,
                                                  size_t common, int count, int max_parts,
                                                  uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> versions = {"",
                                       ".",
                                       "0",
                                       "1",
                                       "1.0",
                                       "1.0.0",
                                       "01.0",
                                       "1..0",
                                       "1.",
                                       ".1",
                                       "1.0.0.",
                                       "1.2.3.4",
                                       "1.2.3.4.0",
                                       "1.2.3.4.0.0",
                                       "1.2.3.4.5",
                                       "1.2.3.4.1",
                                       "0.0.0.0.1",
                                       "32767.1",
                                       "32768",
                                       "10.0.19045.3803",
                                       "10.0.19045.4046",
                                       "7.0.12",
                                       "7.0.9",
                                       "1.1.1k",
                                       "2.0rc1",
                                       "2.0-beta2"};
  for (int n = 0; n < count; ++n) {
    std::string v;
    for (int parts = 1 + static_cast<int>(rng() % static_cast<uint32_t>(max_parts)); parts > 0;
         --parts) {
      v += pieces[rng() % (rng() % 8 == 0 ? pieces.size() : common)];
      if (parts > 1) v += rng() % 9 == 0 ? ".." : ".";
    }
    versions.push_back(v);
  }
  return versions;
}

// The generic scheme's fast path (versions of digits and dots alone) orders every pair as the
// token-by-token reference does: generated versions with leading zeros, empty, repeated and
// trailing dots, long numbers, a letter or separator here and there.
TEST(Version, GenericDottedFastPathAgreesWithTheTokens) {
  const std::vector<std::string> versions =
      EdgeAndGeneratedVersions({"0", "1", "2", "9", "00", "10", "012", ".", "..",
                                "99999999999999999999", "a", "rc", "-", "_", "+", "beta"},
                               8, 600, 5, 20261204);
  size_t pairs = 0;
  for (const auto& a : versions)
    for (const auto& b : versions) {
      ASSERT_EQ(Sign(CompareVersions(VersionScheme::kGeneric, a, b)),
                Sign(CompareGenericTokens(a, b)))
          << "'" << a << "' vs '" << b << "'";
      ++pairs;
    }
  EXPECT_GT(pairs, 300000u);
}

// Versions of digits and dots as one number each: two that have one compare as the generic
// scheme compares their text (generated: parts at the key's limits, zeros past the fourth).
TEST(Version, DottedOrderKeysCompareAsTheGenericScheme) {
  const std::vector<std::string> versions =
      EdgeAndGeneratedVersions({"0", "1", "2", "9", "00", "10", "012", "", "32767", "32768",
                                "0000000000000000000007", "a", "-", "rc"},
                               11, 800, 6, 20261205);
  size_t keyed = 0;
  for (const auto& a : versions) {
    const uint64_t ka = DottedOrderKey(a);
    if (ka == 0) continue;
    ++keyed;
    for (const auto& b : versions) {
      if (const uint64_t kb = DottedOrderKey(b); kb != 0) {
        ASSERT_EQ(ka < kb   ? -1
                  : ka > kb ? 1
                            : 0,
                  Sign(CompareVersions(VersionScheme::kGeneric, a, b)))
            << "'" << a << "' vs '" << b << "'";
      }
    }
  }
  EXPECT_GT(keyed, 400u);  // most of them have a key: the test compares many
  // Which have none: letters, a part past 32 767, a fifth part that is not zero.
  for (const char* v : {"1.1.1k", "2.0rc1", "32768", "1.99999", "1.2.3.4.5", "0.0.0.0.1", "1-2"})
    EXPECT_EQ(DottedOrderKey(v), 0U) << v;
  EXPECT_NE(DottedOrderKey("1.2.3.4.0.0"), 0U);
  EXPECT_EQ(DottedOrderKey("1.2"), DottedOrderKey("01.2.0.0.0"));
}

// Every pair of the list in the scheme: strictly increasing.
void ExpectIncreasing(VersionScheme scheme, const std::vector<std::string>& order) {
  for (size_t i = 0; i < order.size(); ++i)
    for (size_t j = 0; j < order.size(); ++j)
      EXPECT_EQ(Sign(CompareVersions(scheme, order[i], order[j])), i < j   ? -1
                                                                   : i > j ? 1
                                                                           : 0)
          << order[i] << " vs " << order[j];
}

TEST(Version, Pep440FollowsTheSpecification) {
  ExpectIncreasing(VersionScheme::kPep440, {"1.0.dev456",    "1.0a1",
                                            "1.0a2.dev456",  "1.0a12.dev456",
                                            "1.0a12",        "1.0b1.dev456",
                                            "1.0b2",         "1.0b2.post345.dev456",
                                            "1.0b2.post345", "1.0b2-346",
                                            "1.0c1.dev456",  "1.0rc2",
                                            "1.0c3",         "1.0",
                                            "1.0+abc.5",     "1.0+abc.7",
                                            "1.0+5",         "1.0.post456.dev34",
                                            "1.0.post456",   "1.1.dev1",
                                            "1.1",           "2.0",
                                            "1!0.5"});
  auto c = [](const char* a, const char* b) {
    return Sign(CompareVersions(VersionScheme::kPep440, a, b));
  };
  // Normalisation: spellings, separators, case, leading v, trailing zeros.
  EXPECT_EQ(c("1.0alpha1", "1.0a1"), 0);
  EXPECT_EQ(c("1.0-RC1", "1.0rc1"), 0);
  EXPECT_EQ(c("1.0c1", "1.0rc1"), 0);
  EXPECT_EQ(c("1.0-r4", "1.0.post4"), 0);
  EXPECT_EQ(c("1.0.post", "1.0.post0"), 0);
  EXPECT_EQ(c("v1.2", "1.2.0"), 0);
  EXPECT_EQ(c("1.0a", "1.0a0"), 0);
  EXPECT_EQ(c("2.2.0", "2.10.0"), -1);  // numbers, not text
  EXPECT_EQ(c("0.12.01", "0.12.1"), 0);
  // Not PEP 440 (a legacy version): the generic order, not a crash.
  EXPECT_EQ(c("2004d", "2004d"), 0);
  EXPECT_EQ(ParseVersionScheme("pypi"), VersionScheme::kPep440);
}

TEST(Version, MavenFollowsComparableVersion) {
  ExpectIncreasing(VersionScheme::kMaven, {"1-alpha2snapshot",
                                           "1-alpha2",
                                           "1-alpha-123",
                                           "1-beta-2",
                                           "1-beta123",
                                           "1-m2",
                                           "1-m11",
                                           "1-rc",
                                           "1-cr2",
                                           "1-rc123",
                                           "1-SNAPSHOT",
                                           "1",
                                           "1-sp",
                                           "1-sp2",
                                           "1-sp123",
                                           "1-abc",
                                           "1-def",
                                           "1-pom-1",
                                           "1-1-snapshot",
                                           "1-1",
                                           "1-2",
                                           "1-123"});
  ExpectIncreasing(VersionScheme::kMaven,
                   {"2.0",    "2.0.a", "2-1",     "2.0.2", "2.0.123", "2.1.0", "2.1-a",  "2.1b",
                    "2.1-c",  "2.1-1", "2.1.0.1", "2.2",   "2.123",   "11.a2", "11.a11", "11.b2",
                    "11.b11", "11.m2", "11.m11",  "11",    "11.a",    "11b",   "11c",    "11m"});
  auto c = [](const char* a, const char* b) {
    return Sign(CompareVersions(VersionScheme::kMaven, a, b));
  };
  EXPECT_EQ(c("1", "1.0.0"), 0);
  EXPECT_EQ(c("1-ga", "1"), 0);
  EXPECT_EQ(c("1.0-final", "1"), 0);
  EXPECT_EQ(c("1-cr1", "1-rc1"), 0);
  EXPECT_EQ(c("1.0.0.RC1", "1.0.0-RC2"), -1);  // MNG-7644
  EXPECT_EQ(c("2.17.0", "2.15.0"), 1);         // log4j-core
  EXPECT_EQ(c("2.0-beta9", "2.0"), -1);
}

TEST(Version, MavenIsATotalOrderOnTheRealGuavaVersions) {
  const char* shared = std::getenv("MAMORI_SHARED_DIR");
  ASSERT_NE(shared, nullptr);
  std::ifstream f(std::string(shared) + "/testdata/vuln/osv/versions/TestMaven_GetVersions.yaml");
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  std::regex re(R"re(\\?"version\\?"\s*:\s*\\?"([^"\\]+)\\?")re");
  std::set<std::string> seen;
  std::vector<std::string> versions;
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
    if (seen.insert((*it)[1].str()).second) versions.push_back((*it)[1].str());
  ASSERT_GT(versions.size(), 50u);
  // Sorting must be consistent (antisymmetric, transitive) and put the known cases in order.
  auto less = [](const std::string& a, const std::string& b) {
    return CompareVersions(VersionScheme::kMaven, a, b) < 0;
  };
  std::vector<std::string> sorted = versions;
  std::sort(sorted.begin(), sorted.end(), less);
  for (size_t i = 0; i + 1 < sorted.size(); ++i) {
    EXPECT_LT(CompareVersions(VersionScheme::kMaven, sorted[i], sorted[i + 1]), 0)
        << sorted[i] << " vs " << sorted[i + 1];
    for (size_t j = i + 1; j < sorted.size(); ++j)
      EXPECT_GT(CompareVersions(VersionScheme::kMaven, sorted[j], sorted[i]), 0);
  }
  auto pos = [&sorted](const char* v) {
    return std::find(sorted.begin(), sorted.end(), v) - sorted.begin();
  };
  ASSERT_LT(pos("10.0-rc1"), static_cast<long>(sorted.size()));
  EXPECT_LT(pos("10.0-rc1"), pos("10.0-rc3"));
  EXPECT_LT(pos("10.0-rc3"), pos("10.0"));
  EXPECT_LT(pos("10.0"), pos("10.0.1"));
  EXPECT_LT(pos("r03"), pos("r09"));  // guava's first releases, before 10.0
  EXPECT_LT(pos("r09"), pos("10.0-rc1"));
  EXPECT_LT(pos("22.0-rc1-android"), pos("22.0-android"));
  EXPECT_LT(pos("23.6.1-jre"), pos("24.0-android"));
  EXPECT_LT(pos("32.0.1-jre"), pos("33.5.0-android"));
}

TEST(Version, VersRangesFollowTheSpecification) {
  auto in = [](const char* vers, const char* v) { return InVersRange(vers, v); };
  // The CycloneDX VEX examples' ranges (use cases 4 and 5).
  EXPECT_EQ(in("vers:semver/>=2.2.0|<=2.4.0", "2.3.1"), true);
  EXPECT_EQ(in("vers:semver/>=2.2.0|<=2.4.0", "2.4.0"), true);
  EXPECT_EQ(in("vers:semver/>=2.2.0|<=2.4.0", "2.4.1"), false);
  EXPECT_EQ(in("vers:semver/>=2.2.0|<=2.4.0", "2.1.9"), false);
  EXPECT_EQ(in("vers:semver/<7.0.0|>=1.5.0", "3.0.0"), true);  // unordered in the text
  EXPECT_EQ(in("vers:semver/<7.0.0|>=1.5.0", "7.0.0"), false);
  // The specification's examples: two ranges, exclusions, equality, everything.
  EXPECT_EQ(in("vers:npm/1.2.3|>=2.0.0|<5.0.0", "1.2.3"), true);
  EXPECT_EQ(in("vers:npm/1.2.3|>=2.0.0|<5.0.0", "1.5.0"), false);
  EXPECT_EQ(in("vers:npm/1.2.3|>=2.0.0|<5.0.0", "4.9.0"), true);
  EXPECT_EQ(in("vers:pypi/0.0.0|0.0.1|0.0.2|0.0.3|1.0|2.0pre1", "1.0.0"), true);
  EXPECT_EQ(
      in("vers:tomee/>=1.0.0-beta1|<=1.7.5|>=7.0.0-M1|<=7.0.7|>=7.1.0|<=7.1.2|>=8.0.0-M1|<=8.0.1",
         "7.1.1"),
      std::nullopt);  // a scheme mamori does not order: undecided, never a guess
  EXPECT_EQ(in("vers:maven/>=1.0.0-beta1|<=1.7.5|>=7.0.0-M1|<=7.0.7", "7.0.0"), true);
  EXPECT_EQ(in("vers:maven/>=1.0.0-beta1|<=1.7.5|>=7.0.0-M1|<=7.0.7", "2.0"), false);
  EXPECT_EQ(in("vers:deb/>=1.0-1|!=1.5-1|<2.0-1", "1.5-1"), false);
  EXPECT_EQ(in("vers:deb/>=1.0-1|!=1.5-1|<2.0-1", "1.6-1"), true);
  EXPECT_EQ(in("vers:generic/*", "anything"), true);
  EXPECT_EQ(in("semver/>=1", "1.0.0"), std::nullopt);
  EXPECT_EQ(in("vers:semver/>=", "1.0.0"), std::nullopt);
}

}  // namespace
}  // namespace mamori::vuln
