// The log-source registry's address matching and the review's event classifier (rules as data).
#include <gtest/gtest.h>

#include "logs/review.hpp"
#include "logs/sources.hpp"

namespace mamori::logs {
namespace {

TEST(LogSources, AddressesAndNetworks) {
  EXPECT_TRUE(AddressIn("10.1.2.3", "10.1.2.3"));
  EXPECT_TRUE(AddressIn("10.1.2.3", "10.1.0.0/16"));
  EXPECT_FALSE(AddressIn("10.2.2.3", "10.1.0.0/16"));
  EXPECT_TRUE(AddressIn("198.51.100.255", "198.51.100.0/24"));
  EXPECT_TRUE(AddressIn("203.0.113.9", "0.0.0.0/0"));
  EXPECT_TRUE(AddressIn("2001:db8::1", "2001:db8::/32"));
  EXPECT_FALSE(AddressIn("2001:db9::1", "2001:db8::/32"));
  EXPECT_FALSE(AddressIn("10.1.2.3", "10.1.0.0/33"));
  EXPECT_FALSE(AddressIn("10.1.2.3", "10.1.0.0/x"));
  EXPECT_FALSE(AddressIn("emr-db01", "10.0.0.0/8"));
}

TEST(LogSources, MatcherByPeerThenHostIgnoringCaseAndInactive) {
  LogSource fw;
  fw.name = "ward-fw";
  fw.hosts = {"10.10.1.0/24"};
  LogSource emr;
  emr.name = "emr";
  emr.hosts = {"EMR-DB01"};
  LogSource off;
  off.name = "old";
  off.hosts = {"10.99.0.1"};
  off.active = false;
  SourceMatcher m({fw, emr, off});
  ASSERT_NE(m.Match("10.10.1.7", ""), nullptr);
  EXPECT_EQ(m.Match("10.10.1.7", "")->name, "ward-fw");
  ASSERT_NE(m.Match("", "emr-db01"), nullptr);
  EXPECT_EQ(m.Match("", "emr-db01")->name, "emr");
  EXPECT_EQ(m.Match("10.99.0.1", ""), nullptr);
  EXPECT_EQ(m.Match("192.0.2.1", "unknown"), nullptr);
}

TEST(ReviewRules, BuiltinRulesClassifyEvents) {
  const auto& c = EventClassifier::Builtin();
  LogEvent e;
  e.format = "evtx";
  e.action = "logon";
  e.fields = {{"event_id", 4624}, {"logon_type", "10"}};
  EXPECT_EQ(c.Categories(e), (std::set<std::string>{"logon", "remote"}));
  e.user = "NT AUTHORITY\\SYSTEM";
  e.fields["logon_type"] = "5";
  EXPECT_EQ(c.Categories(e), (std::set<std::string>{"logon", "service_account"}));
  LogEvent w;  // a Windows event forwarded as syslog
  w.format = "windows";
  w.action = "1102";
  w.fields = {{"event_id", "1102"}};
  EXPECT_EQ(c.Categories(w), (std::set<std::string>{"log_cleared"}));
  LogEvent asa;
  asa.format = "cisco";
  asa.action = "ASA-5-111008";
  EXPECT_EQ(c.Categories(asa), (std::set<std::string>{"admin"}));
  LogEvent plain;
  plain.format = "rfc5424";
  plain.action = "view";
  EXPECT_TRUE(c.Categories(plain).empty());
}

TEST(ReviewRules, BadRulesNameTheRuleAndTheField) {
  auto r = EventClassifier::FromYaml("- category: logon\n  actons: [x]\n", "my.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().Message(Lang::kEn).find("my.yaml [0]: actons"), std::string::npos)
      << r.error().Message(Lang::kEn);
  r = EventClassifier::FromYaml("- category: logon\n- category: nonsense\n", "my.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().Message(Lang::kEn).find("[1]: category"), std::string::npos);
  r = EventClassifier::FromYaml("- category: logon\n  event_ids: [abc]\n", "my.yaml");
  ASSERT_FALSE(r.ok());
  r = EventClassifier::FromYaml("[unclosed", "my.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().Message(Lang::kEn).find("line 1"), std::string::npos);
}

}  // namespace
}  // namespace mamori::logs
