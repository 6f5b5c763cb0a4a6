#include "core/json_body.hpp"

#include <gtest/gtest.h>

namespace mamori {
namespace {

TEST(JsonBody, ReadsDeclaredFields) {
  auto b =
      JsonBody::Parse(R"({"name":"電子カルテ","n":3,"on":true,"ips":["10.0.0.1","10.0.0.2"]})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->String("name", true), "電子カルテ");
  EXPECT_EQ(b->Int("n", true), 3);
  EXPECT_EQ(b->Bool("on", false), true);
  EXPECT_EQ(b->StringList("ips", false)->size(), 2u);
  EXPECT_TRUE(b->Finish().ok());
}

TEST(JsonBody, NamesTheUnknownField) {
  auto b = JsonBody::Parse(R"({"name":"x","is_admin":true})");
  (void)b->String("name", true);
  auto st = b->Finish();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().key, "json.unknown_field");
  EXPECT_EQ(st.error().field, "is_admin");
}

TEST(JsonBody, NamesTheMissingAndMistypedField) {
  auto b = JsonBody::Parse(R"({"n":"three"})");
  (void)b->Int("n", true);
  (void)b->String("name", true);
  auto st = b->Finish();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().key, "json.wrong_type");
  EXPECT_EQ(st.error().field, "n");
  EXPECT_EQ(st.error().Message(Lang::kJa), "項目「n」の型が違います（integerが必要です）");
}

TEST(JsonBody, ReportsWhereTheSyntaxBreaks) {
  auto b = JsonBody::Parse(R"({"name": "x",})");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().key, "json.invalid");
  EXPECT_EQ(b.error().args.at(0), "14");
  EXPECT_EQ(JsonBody::Parse("[1,2]").error().key, "json.not_object");
  EXPECT_EQ(JsonBody::Parse("").error().key, "json.invalid");
}

TEST(JsonBody, ANumberTooLargeIsBadInputNotACrash) {
  // Found by fuzz/json_body_fuzz: nlohmann reports this as out_of_range, not parse_error.
  auto b = JsonBody::Parse(R"({"n": 77777776e777})");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().key, "json.number_range");
}

TEST(JsonBody, SplitsAListTypedIntoOneField) {
  auto b = JsonBody::Parse(R"({"ips":"10.0.0.1, 10.0.0.2;10.0.0.3\n10.0.0.4"})");
  auto v = b->StringList("ips", true);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, (std::vector<std::string>{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"}));
}

TEST(JsonBody, EnforcesLengthLimits) {
  auto b = JsonBody::Parse(R"({"name":"abcdef"})");
  (void)b->String("name", true, 5);
  EXPECT_EQ(b->Finish().error().key, "json.too_long");
}

}  // namespace
}  // namespace mamori
