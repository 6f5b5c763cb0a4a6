// nmap XML (formats/nmap.cpp): times, and the errors that name what is wrong.
#include "formats/nmap.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mamori::formats {
namespace {

std::string Scan(const std::string& start, const std::string& endtime) {
  return R"(<?xml version="1.0"?><nmaprun scanner="nmap" version="7.93" start=")" + start +
         R"("><host endtime=")" + endtime +
         R"("><status state="up"/><address addr="10.0.0.5" addrtype="ipv4"/></host></nmaprun>)";
}

TEST(Nmap, TimesAreMilliseconds) {
  auto r = ReadNmapXml(Scan("1764806400", "1764806460"), "scan.xml");
  ASSERT_TRUE(r.ok()) << r.error().Message(Lang::kEn);
  EXPECT_EQ(r->started, 1764806400000);
  ASSERT_EQ(r->hosts.size(), 1u);
  EXPECT_EQ(r->hosts[0].seen, 1764806460000);
  auto no_end = ReadNmapXml(Scan("1764806400", ""), "scan.xml");
  ASSERT_TRUE(no_end.ok());
  EXPECT_EQ(no_end->hosts[0].seen, 1764806400000);  // the scan's start
}

TEST(Nmap, ATimeNoClockGivesIsAnErrorNamingIt) {
  // Times a thousand, these did not fit in 64 bits (nmap_fuzz found the first).
  auto end = ReadNmapXml(Scan("1764806400", "9223372036854775807"), "scan.xml");
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().key, "nmap.bad_time");
  EXPECT_EQ(end.error().Message(Lang::kEn),
            "scan.xml: host[1] endtime \"9223372036854775807\" is not a valid time");
  auto start = ReadNmapXml(Scan("-5", "1764806460"), "scan.xml");
  ASSERT_FALSE(start.ok());
  EXPECT_EQ(start.error().Message(Lang::kJa),
            "scan.xml の nmaprun start「-5」は日時として正しくありません");
  EXPECT_TRUE(ReadNmapXml(Scan("253402300799", ""), "scan.xml").ok());  // 9999-12-31 23:59:59
  EXPECT_FALSE(ReadNmapXml(Scan("253402300800", ""), "scan.xml").ok());
}

}  // namespace
}  // namespace mamori::formats
