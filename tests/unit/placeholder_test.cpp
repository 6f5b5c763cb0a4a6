#include <gtest/gtest.h>

#include "store/postgres/pg_database.hpp"

namespace mamori::store::postgres {
namespace {

TEST(Placeholders, RewritesOutsideLiteralsAndComments) {
  EXPECT_EQ(RewritePlaceholders("SELECT ? , ?"), "SELECT $1 , $2");
  EXPECT_EQ(RewritePlaceholders("SELECT '?', \"a?\", ? -- what?\n, ?"),
            "SELECT '?', \"a?\", $1 -- what?\n, $2");
  EXPECT_EQ(RewritePlaceholders("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  EXPECT_EQ(RewritePlaceholders("x LIKE ? ESCAPE '\\'"), "x LIKE $1 ESCAPE '\\'");
}

}  // namespace
}  // namespace mamori::store::postgres
