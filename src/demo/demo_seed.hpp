// `mamori demo seed`: a realistic, clearly marked demo hospital (about 200 beds) for trying
// mamori out. Everything it creates is fiction, generated deterministically; the organisation is
// flagged is_demo and the UI shows a DEMO banner.
#pragma once

#include <string>

#include "auth/auth_service.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace mamori::demo {

struct SeedSummary {
  int64_t org_id = 0;
  std::string org_name;
  int64_t assets = 0;
  int64_t vendors = 0;
  int64_t systems = 0;
  int64_t users = 0;
  std::string password;  // the demo users' password (printed by make demo)
};

// extra_assets adds generated PCs beyond the realistic set (benchmarks use 10 000 rows).
// with_feeds: load the bundled vulnerability extract (feeds/PROVENANCE.md) and match it.
Result<SeedSummary> SeedDemoHospital(store::Database& db, auth::HashCost cost,
                                     int64_t extra_assets = 0, bool with_feeds = true);

}  // namespace mamori::demo
