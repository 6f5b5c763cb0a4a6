#include "vuln/nvd_feed.hpp"

#include <simdjson.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <set>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/text.hpp"
#include "vuln/cpe.hpp"
#include "vuln/nvd_dom.hpp"

namespace mamori::vuln {

namespace {

namespace dom = simdjson::dom;

Error BadRecord(const std::string& file, const std::string& where, const std::string& what) {
  return MakeError(ErrorCode::kInvalidArgument, "nvd.bad_record", {file, where, what}, where);
}

// The feed reader walks the text once with simdjson's On-Demand API, taking the values it needs
// where they lie and passing over the rest (references, weaknesses, matchCriteriaId…, most of an
// NVD record). It was a walk over simdjson's DOM: the DOM's parse wrote a tape of every value and
// the walk read it back from memory a page later — a third of the reader's time went to that
// tape and to looking keys up in it (session 23, perf). The DOM stays for the matcher's read of
// the compact configurations (BuildConfigurations in nvd.cpp), which the reader's checks mirror
// (CpeMatchFields::Problem, shared). Values the reader does not read are checked only as far as
// On-Demand does while passing over them (UTF-8, strings, brackets), not literal by literal.
namespace od = simdjson::ondemand;
using namespace std::string_view_literals;
using simdjson::error_code;

// The thread's buffer the compact configurations are written into, then copied once at their
// size (grown in the record, the string was reallocated half a dozen times per CVE).
std::string& CompactOf() {
  thread_local std::string compact;
  return compact;
}

// Appends `"key":` and a string, for the compact configurations.
void AppendField(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":";
  AppendJsonString(out, value);
}

// Where a value lies inside a record's configurations, for an error's message.
struct ConfigPlace {
  const RecordPlace& record;
  size_t cfg = 0, node = 0, match = 0;
  int depth = 0;  // 1: configuration, 2: node, 3: criterion
  [[nodiscard]] std::string Str() const {
    std::string s = record.Str();
    if (depth >= 1) s += " configurations[" + std::to_string(cfg) + "]";
    if (depth >= 2) s += " nodes[" + std::to_string(node) + "]";
    if (depth >= 3) s += " cpeMatch[" + std::to_string(match) + "]";
    return s;
  }
};

// The slot of a field's key among names, -1 for any other key. Keys are compared as written,
// without unescaping them (NVD writes none with an escape); a key that has one is unescaped
// first, so that it means what it means to any JSON reader.
template <size_t N>
[[gnu::noinline]] int EscapedSlotOf(od::field& f, const std::array<std::string_view, N>& names) {
  std::string_view key;
  if (f.unescaped_key().get(key) != simdjson::SUCCESS) return -1;
  for (size_t i = 0; i < N; ++i)
    if (key == names[i]) return static_cast<int>(i);
  return -1;
}

// The closing quote of a string (from after its opening quote), or nullptr where an escape comes
// before it: sixteen bytes at a time where the CPU has SSE2 (every x86-64), else eight. Keys
// mamori does not read (matchCriteriaId, a CVSS vector's parts…) are checked in every record: a
// byte at a time this was 7 % of the reader's instructions, eight at a time 4 %. Reading past the
// quote is safe: the text is padded.
[[gnu::always_inline]] inline const char* PlainStringEnd(const char* p) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (;; p += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (auto found = static_cast<unsigned>(_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash))));
        found != 0) {
      p += std::countr_zero(found);
      return *p == '\\' ? nullptr : p;
    }
  }
#else
  if constexpr (std::endian::native != std::endian::little) {
    while (*p != '"' && *p != '\\') ++p;
    return *p == '\\' ? nullptr : p;
  }
  // The lowest byte found is exact (the usual has-a-zero-byte test can only flag bytes above a
  // real one).
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto zero_bytes = [](uint64_t v) { return (v - kOnes) & ~v & kHighs; };
  for (;; p += 8) {
    uint64_t w = 0;
    std::memcpy(&w, p, 8);
    uint64_t found = zero_bytes(w ^ (kOnes * '"')) | zero_bytes(w ^ (kOnes * '\\'));
    if (found != 0) {
      p += std::countr_zero(found) / 8;
      return *p == '\\' ? nullptr : p;
    }
  }
#endif
}

// Eight bytes of a name followed by its closing quote, from `at`, as a little-endian load of them
// gives them; bytes past the quote are 0 (masked off by the caller).
constexpr uint64_t QuotedWord(std::string_view name, size_t at) {
  uint64_t w = 0;
  for (size_t i = 0; i < 8; ++i) {
    const size_t k = at + i;
    const auto byte = k < name.size()    ? static_cast<unsigned char>(name[k])
                      : k == name.size() ? static_cast<unsigned char>('"')
                                         : 0U;
    w |= uint64_t{byte} << (8 * i);
  }
  return w;
}

// Whether the key at `raw` (after its opening quote) is Names[I] as written, its closing quote
// included: eight bytes at a time against words made when compiled, the last word overlapping the
// one before (the text is padded, so reading past a shorter key is safe). Byte by byte after a
// first-byte test, with memcmp calls for the longer names, this was 4 % of the reader's
// instructions.
template <const auto& Names, size_t I>
[[gnu::always_inline]] inline bool KeyIs(const char* raw) {
  constexpr std::string_view kName = Names[I];
  if constexpr (std::endian::native != std::endian::little) {
    return raw[kName.size()] == '"' && std::memcmp(raw, kName.data(), kName.size()) == 0;
  } else {
    constexpr size_t kLength = kName.size() + 1;  // with the quote
    constexpr size_t kCount = kLength <= 8 ? 1 : (kLength + 7) / 8;
    // Where each word starts, and the words: made when compiled.
    static constexpr auto kAt = [] {
      std::array<size_t, kCount> at{};
      for (size_t k = 0; k < kCount; ++k)
        at[k] = k + 1 < kCount || kLength < 8 ? 8 * k : kLength - 8;
      return at;
    }();
    static constexpr auto kWords = [] {
      std::array<uint64_t, kCount> w{};
      for (size_t k = 0; k < kCount; ++k) w[k] = QuotedWord(Names[I], kAt[k]);
      return w;
    }();
    constexpr uint64_t kMask =
        kLength < 8 ? (uint64_t{1} << (8 * (kLength % 8))) - 1 : ~uint64_t{0};
    auto same = [raw]<size_t K>(std::integral_constant<size_t, K>) {
      uint64_t w = 0;
      std::memcpy(&w, raw + kAt[K], 8);
      return (w & (K == 0 ? kMask : ~uint64_t{0})) == kWords[K];
    };
    return [&]<size_t... K>(std::index_sequence<K...>) {
      return (same(std::integral_constant<size_t, K>{}) && ...);
    }
    (std::make_index_sequence<kCount>());
  }
}

// The slot of a field's key among Names, -1 for any other key.
template <const auto& Names>
[[gnu::always_inline]] inline int SlotOf(od::field& f) {
  const char* raw = f.key().raw();  // after the opening quote; the text is padded
  int slot = -1;
  [&]<size_t... I>(std::index_sequence<I...>) {
    (void)((KeyIs<Names, I>(raw) ? (slot = static_cast<int>(I), true) : false) || ...);
  }
  (std::make_index_sequence<Names.size()>());
  if (slot >= 0) return slot;
  return PlainStringEnd(raw) == nullptr ? EscapedSlotOf(f, Names) : -1;
}

// A string value: a view into the text where it has no escape (what NVD writes for ids, dates,
// CPE names and versions), else unescaped by simdjson into its buffer; both live as long as the
// document. Unescaping every string into simdjson's buffer was a twentieth of the reader. The
// text between the quotes is valid as it stands: stage 1 checked its UTF-8 and that no control
// character stands unescaped in it. A value that is not a string gives INCORRECT_TYPE.
// *escaped, where given, tells whether it was unescaped (else nothing in it needs JSON's escapes:
// a quote, a backslash or a control character stands escaped in valid JSON).
[[gnu::always_inline]] inline error_code StringOf(od::value v, std::string_view* out,
                                                  bool* escaped = nullptr) {
  const char* start = v.raw_json_token().data();  // the token, to the next structural character
  const char* end = nullptr;
  if (*start != '"' || (end = PlainStringEnd(start + 1)) == nullptr) {
    if (escaped != nullptr) *escaped = true;
    return v.get_string().get(*out);
  }
  *out = std::string_view(start + 1, static_cast<size_t>(end - start - 1));
  return simdjson::SUCCESS;
}

// The first occurrence of a slot counts (as a lookup by name finds it); later ones are passed over.
bool FirstOf(int slot, unsigned* seen) {
  if (slot < 0 || ((*seen >> slot) & 1U) != 0) return false;
  *seen |= 1U << slot;
  return true;
}

constexpr std::array<std::string_view, 6> kCveFields = {
    "id", "published", "lastModified", "descriptions", "metrics", "configurations"};
constexpr std::array<std::string_view, 2> kDescriptionFields = {"lang", "value"};
constexpr std::array<std::string_view, 4> kMetricNames = {"cvssMetricV2", "cvssMetricV30",
                                                          "cvssMetricV31", "cvssMetricV40"};
constexpr std::array<std::string_view, 3> kMetricFields = {"cvssData", "type", "baseSeverity"};
constexpr std::array<std::string_view, 4> kDataFields = {"vectorString", "version", "baseScore",
                                                         "baseSeverity"};
constexpr std::array<std::string_view, 3> kConfigFields = {"nodes", "operator", "negate"};
constexpr std::array<std::string_view, 3> kNodeFields = {"cpeMatch", "operator", "negate"};

class FeedReader {
 public:
  // block: the size of the blocks the records' text is taken from (more where one string needs it).
  FeedReader(const std::string& file, std::pmr::memory_resource* text, size_t block)
      : file_(file), text_(text), block_(block) {}

  // A value of the wrong type names its field; anything else simdjson found wrong there is JSON
  // that is not valid, named by where it was met.
  [[nodiscard]] Error Fail(error_code e, const std::string& where, const std::string& what) const {
    if (e == simdjson::INCORRECT_TYPE) return BadRecord(file_, where, what);
    return MakeError(ErrorCode::kInvalidArgument, "nvd.bad_json_at", {file_, where + " " + what},
                     where);
  }

  Status Record(od::value v, RecordPlace place, CveRecord* out) {
    od::object cve;
    if (auto e = v.get_object().get(cve)) return Fail(e, place.Str(), "cve");
    CveRecord& r = *out;
    best_rank_ = 0;
    best_primary_ = false;
    unsigned seen = 0;
    for (auto field_result : cve) {
      od::field f;
      if (auto e = std::move(field_result).get(f)) return Fail(e, place.Str(), "cve");
      int slot = SlotOf<kCveFields>(f);
      if (!FirstOf(slot, &seen)) continue;
      od::value value = f.value();
      switch (slot) {
        case 0: {
          std::string_view id;
          if (auto e = StringOf(value, &id)) return Fail(e, place.Str(), "id");
          if (id.empty()) return BadRecord(file_, place.Str(), "id");
          r.id = Keep(id);
          place.id = r.id;
          break;
        }
        case 1:
        case 2: {
          std::string_view text;
          if (auto e = StringOf(value, &text))
            return Fail(e, place.Str(), std::string(kCveFields[slot]));
          (slot == 1 ? r.published : r.last_modified) = Keep(text);
          break;
        }
        case 3:
          MAMORI_RETURN_IF_ERROR(Descriptions(value, place, r));
          break;
        case 4:
          MAMORI_RETURN_IF_ERROR(Metrics(value, place));
          break;
        default:
          MAMORI_RETURN_IF_ERROR(Configurations(value, place, r));
      }
    }
    if ((seen & 1U) == 0) return BadRecord(file_, place.Str(), "id");
    if (best_rank_ > 0) {  // copied once, from the text (valid for the document)
      r.cvss_version = Keep(best_version_);
      r.cvss_vector = Keep(best_vector_);
      r.cvss_score = best_score_;
      r.severity = Keep(best_severity_);
    }
    return Ok();
  }

 private:
  Status Descriptions(od::value v, const RecordPlace& place, CveRecord& r) {
    od::array list;
    if (auto e = v.get_array().get(list)) return Fail(e, place.Str(), "descriptions");
    for (auto item : list) {
      od::object o;
      if (auto e = item.get_object().get(o)) return Fail(e, place.Str(), "descriptions");
      std::string_view lang, value;
      unsigned seen = 0;
      for (auto field_result : o) {
        od::field f;
        if (auto e = std::move(field_result).get(f)) return Fail(e, place.Str(), "descriptions");
        int slot = SlotOf<kDescriptionFields>(f);
        if (!FirstOf(slot, &seen)) continue;
        // A description that is not the first English one is only checked to be a string
        // (unescaping it into simdjson's buffer cost as much as the rest of the record).
        bool wanted = slot == 0 || (r.description_en.empty() && (lang.empty() || lang == "en"));
        error_code e = simdjson::SUCCESS;
        if (wanted) {
          e = StringOf(f.value(), slot == 0 ? &lang : &value);
        } else if (od::json_type type; (e = f.value().type().get(type)) == simdjson::SUCCESS &&
                                       type != od::json_type::string) {
          e = simdjson::INCORRECT_TYPE;
        }
        if (e) return Fail(e, place.Str(), "descriptions");
      }
      if (seen != 3U) return BadRecord(file_, place.Str(), "descriptions");
      if (lang == "en" && r.description_en.empty()) r.description_en = Keep(value);
    }
    return Ok();
  }

  Status Metrics(od::value v, const RecordPlace& place) {
    od::object metrics;
    if (auto e = v.get_object().get(metrics)) return Fail(e, place.Str(), "metrics");
    unsigned seen = 0;
    for (auto field_result : metrics) {
      od::field f;
      if (auto e = std::move(field_result).get(f)) return Fail(e, place.Str(), "metrics");
      int slot = SlotOf<kMetricNames>(f);
      if (!FirstOf(slot, &seen)) continue;
      // A list of an older version than the metric kept cannot replace it, nor can any metric of
      // the kept version once it is NVD's own: such lists are passed over unread.
      const int rank = slot + 1;
      auto settled = [&] { return rank < best_rank_ || (rank == best_rank_ && best_primary_); };
      if (settled()) continue;
      od::array list;
      if (auto e = f.value().get_array().get(list))
        return Fail(e, place.Str(), "metrics " + std::string(kMetricNames[slot]));
      for (auto item : list) {
        od::value m;
        if (auto e = item.get(m)) return Fail(e, place.Str(), "metrics cvssData");
        MAMORI_RETURN_IF_ERROR(Metric(m, rank, place));
        if (settled()) break;
      }
    }
    return Ok();
  }

  // Keeps the newest CVSS version; within one version, NVD's own (Primary) score.
  Status Metric(od::value m, int rank, const RecordPlace& place) {
    auto where = [&] { return place.Str(); };  // only for an error's message
    od::object metric;
    if (auto e = m.get_object().get(metric)) return Fail(e, where(), "metrics cvssData");
    std::string_view type, vector, version, severity, outer_severity;
    double score = 0;
    bool outer_wrong = false;
    unsigned seen = 0, data_seen = 0;
    for (auto field_result : metric) {
      od::field f;
      if (auto e = std::move(field_result).get(f)) return Fail(e, where(), "metrics cvssData");
      int slot = SlotOf<kMetricFields>(f);
      if (!FirstOf(slot, &seen)) continue;
      if (slot == 1) {
        if (auto e = StringOf(f.value(), &type)) return Fail(e, where(), "metrics type");
      } else if (slot == 2) {
        // v2 keeps baseSeverity beside cvssData (checked only when cvssData has none).
        if (auto e = StringOf(f.value(), &outer_severity)) {
          if (e != simdjson::INCORRECT_TYPE) return Fail(e, where(), "metrics baseSeverity");
          outer_wrong = true;
        }
      } else {
        od::object data;
        if (auto e = f.value().get_object().get(data)) return Fail(e, where(), "metrics cvssData");
        for (auto data_result : data) {
          od::field d;
          if (auto e = std::move(data_result).get(d)) return Fail(e, where(), "metrics cvssData");
          int k = SlotOf<kDataFields>(d);
          if (!FirstOf(k, &data_seen)) continue;
          error_code e = k == 2 ? d.value().get_double().get(score)
                                : StringOf(d.value(), k == 0   ? &vector
                                                      : k == 1 ? &version
                                                               : &severity);
          if (e) return Fail(e, where(), "cvssData " + std::string(kDataFields[k]));
          if (data_seen == 15U) break;  // the rest of cvssData (the vector's parts) is not read
        }
      }
      // exploitabilityScore, impactScore… are not read; nor is the outer baseSeverity once
      // cvssData gave its own (v3 and v4; v2 keeps it outside).
      if (seen == 7U || (seen == 3U && (data_seen & 8U) != 0)) break;
    }
    if ((seen & 1U) == 0) return BadRecord(file_, where(), "metrics cvssData");
    if ((data_seen & 1U) == 0) return BadRecord(file_, where(), "cvssData vectorString");
    if ((data_seen & 8U) == 0) {
      if (outer_wrong) return BadRecord(file_, where(), "metrics baseSeverity");
      severity = outer_severity;
    }
    bool primary = type == "Primary";
    if (rank > best_rank_ || (rank == best_rank_ && primary && !best_primary_)) {
      best_rank_ = rank;
      best_primary_ = primary;
      best_version_ = version;
      best_vector_ = vector;
      best_score_ = score;
      best_severity_ = severity;
    }
    return Ok();
  }

  // The array is checked with the matcher's criterion checks (CpeMatchFields::Problem) and kept
  // for matching in a compact form — what the matcher reads (operators, negations, criteria and
  // their bounds) without NVD's matchCriteriaId — that BuildConfigurations reads back into the
  // same configurations. The vendor and product of every vulnerable criterion are collected.
  Status Configurations(od::value v, const RecordPlace& place, CveRecord& r) {
    products_.clear();
    std::string& compact = CompactOf();
    compact = "["sv;
    ConfigPlace at{place};
    od::array cfgs;
    if (auto e = v.get_array().get(cfgs)) return Fail(e, at.Str(), "configurations");
    size_t i = 0;
    for (auto cfg_result : cfgs) {
      at.cfg = i;
      at.depth = 1;
      compact += i++ == 0 ? "{\"nodes\":["sv : ",{\"nodes\":["sv;
      od::value cfg;
      if (auto e = cfg_result.get(cfg)) return Fail(e, at.Str(), "nodes");
      std::string_view op;
      bool negate = false;
      MAMORI_RETURN_IF_ERROR(ListObject<kConfigFields>(
          cfg, at, &op, &negate, [&](od::value list, unsigned) { return Nodes(list, at); }));
      compact += ']';
      if (op == "AND") compact += ",\"operator\":\"AND\""sv;
      if (negate) compact += ",\"negate\":true"sv;
      compact += '}';
    }
    compact += ']';
    r.configurations = Keep(compact);
    std::sort(products_.begin(), products_.end());
    products_.erase(std::unique(products_.begin(), products_.end()), products_.end());
    if (!products_.empty()) {
      auto* list = static_cast<ProductName*>(
          static_cast<void*>(Room(products_.size() * sizeof(ProductName), alignof(ProductName))));
      std::uninitialized_copy(products_.begin(), products_.end(), list);
      r.products = {list, products_.size()};
    }
    return Ok();
  }

  // A configuration or a node: an object of its list (Names[0]: nodes, cpeMatch), operator and
  // negation, the first occurrence of each counting. on_list(value, fields seen so far) reads
  // the list; *op and *negate are set as they are met.
  template <const auto& Names, typename OnList>
  Status ListObject(od::value v, ConfigPlace& at, std::string_view* op, bool* negate,
                    OnList on_list) {
    auto list_name = [&] { return std::string(Names[0]); };  // only for an error's message
    const int depth = at.depth;
    od::object o;
    if (auto e = v.get_object().get(o)) return Fail(e, at.Str(), list_name());
    unsigned seen = 0;
    for (auto field_result : o) {
      od::field f;
      if (auto e = std::move(field_result).get(f)) return Fail(e, at.Str(), list_name());
      int slot = SlotOf<Names>(f);
      if (!FirstOf(slot, &seen)) continue;
      if (slot == 0) {
        MAMORI_RETURN_IF_ERROR(on_list(f.value(), seen));
        at.depth = depth;
      } else if (auto e = slot == 1 ? StringOf(f.value(), op) : f.value().get_bool().get(*negate)) {
        return Fail(e, at.Str(), std::string(Names[slot]));
      }
    }
    if ((seen & 1U) == 0) return BadRecord(file_, at.Str(), list_name());
    return Ok();
  }

  static std::string_view NodeHead(std::string_view op, bool negate) {
    if (op == "AND")
      return negate ? R"("operator":"AND","negate":true,"cpeMatch":[)"sv
                    : R"("operator":"AND","cpeMatch":[)"sv;
    return negate ? R"("operator":"OR","negate":true,"cpeMatch":[)"sv
                  : R"("operator":"OR","cpeMatch":[)"sv;
  }

  Status Nodes(od::value v, ConfigPlace& at) {
    std::string& compact = CompactOf();
    od::array nodes;
    if (auto e = v.get_array().get(nodes)) return Fail(e, at.Str(), "nodes");
    size_t n = 0;
    for (auto node_result : nodes) {
      at.node = n;
      at.depth = 2;
      compact += n++ == 0 ? "{"sv : ",{"sv;
      // The node's operator and negation come first in the compact form. NVD writes them before
      // the criteria, and then the head is written when the criteria come; if they follow the
      // criteria in the text, the head is inserted before the criteria at the end.
      size_t head = compact.size();
      bool head_written = false;
      od::value node;
      if (auto e = node_result.get(node)) return Fail(e, at.Str(), "cpeMatch");
      std::string_view op;
      bool negate = false;
      MAMORI_RETURN_IF_ERROR(
          ListObject<kNodeFields>(node, at, &op, &negate, [&](od::value list, unsigned seen) {
            if ((seen & 6U) == 6U) {
              compact += NodeHead(op, negate);
              head_written = true;
            }
            return Criteria(list, at);
          }));
      if (!head_written) compact.insert(head, NodeHead(op, negate));
      compact += "]}"sv;
    }
    return Ok();
  }

  Status Criteria(od::value v, ConfigPlace& at) {
    std::string& c = CompactOf();
    od::array matches;
    if (auto e = v.get_array().get(matches)) return Fail(e, at.Str(), "cpeMatch");
    size_t m = 0;
    // Made once per node and reset per criterion: constructed per criterion, their zero-filling
    // (~300 bytes, `rep stos`) was a seventh of this walk.
    CpeMatchFields f;
    CpeValues values;
    for (auto match_result : matches) {
      at.match = m;
      at.depth = 3;
      od::object cm;
      if (auto e = match_result.get_object().get(cm)) return Fail(e, at.Str(), "cpeMatch");
      f.vulnerable = true;
      f.seen = f.wrong_type = 0;
      for (auto& t : f.text) t = {};
      bool escaped = false;  // a string of the criterion was unescaped
      for (auto field_result : cm) {
        od::field kv;
        if (auto e = std::move(field_result).get(kv)) return Fail(e, at.Str(), "cpeMatch");
        int slot = SlotOf<CpeMatchFields::kNames>(kv);
        if (!FirstOf(slot, &f.seen)) continue;
        error_code e = slot == CpeMatchFields::kVulnerable
                           ? kv.value().get_bool().get(f.vulnerable)
                           : StringOf(kv.value(), &f.text[slot], &escaped);
        if (e == simdjson::INCORRECT_TYPE) {
          f.wrong_type |= 1U << slot;
        } else if (e) {
          return Fail(e, at.Str(), std::string(CpeMatchFields::kNames[slot]));
        }
      }
      if (f.wrong_type != 0)  // a value of the wrong type is no string
        for (int k = CpeMatchFields::kCriteria; k < CpeMatchFields::kSlots; ++k)
          if ((f.wrong_type >> k & 1U) != 0) f.text[k] = {};
      // Sound is the quick answer for the many sound criteria; Problem, which both readers ask,
      // has the last word (and names what is wrong).
      if (!f.Sound(&values))
        if (std::string problem = f.Problem(&values); !problem.empty())
          return BadRecord(file_, at.Str(), problem);
      // Consecutive criteria mostly name one product (a kernel record lists hundreds of its
      // versions): one written as the one before ("vendor:product" as it stands in the
      // criteria) is not copied again; the caller sorts and removes repeats (names that differ
      // in case alone among them).
      if (f.vulnerable) {
        const std::string_view vendor_product(
            values[1].data(),
            static_cast<size_t>(values[2].data() - values[1].data()) + values[2].size());
        if (products_.empty() || vendor_product != last_product_) {
          products_.emplace_back(KeepLower(values[1]), KeepLower(values[2]));
          last_product_ = vendor_product;
        }
      }
      if (escaped) {
        WriteEscaped(c, f, m++ == 0);
      } else {
        WritePlain(c, f, m++ == 0);
      }
    }
    return Ok();
  }

  // A criterion in the compact form: {"vulnerable":…,"criteria":"…"[,"versionStartIncluding":…]}.
  // Its strings as they stood in the text, nothing in them needing an escape: copied through a
  // pointer into room made once (std::string's appends, a check of capacity and an update of the
  // size each, were a twentieth of the reader's instructions).
  static void WritePlain(std::string& c, const CpeMatchFields& f, bool first) {
    constexpr auto kVulnerableKey = R"(,{"vulnerable":)"sv;
    constexpr auto kCriteriaKey = R"("criteria":")"sv;
    const std::string_view criteria = f.text[CpeMatchFields::kCriteria];
    size_t most = kVulnerableKey.size() + 6 + kCriteriaKey.size() + criteria.size() + 2;
    for (int k = CpeMatchFields::kStartIncluding; k < CpeMatchFields::kSlots; ++k)
      if (!f.text[k].empty()) most += CpeMatchFields::kNames[k].size() + f.text[k].size() + 6;
    const size_t at = c.size();
    c.resize(at + most);
    char* p = c.data() + at;
    auto put = [&p](std::string_view s) {
      std::memcpy(p, s.data(), s.size());
      p += s.size();
    };
    put(first ? kVulnerableKey.substr(1) : kVulnerableKey);
    put(f.vulnerable ? "true,"sv : "false,"sv);
    put(kCriteriaKey);
    put(criteria);
    *p++ = '"';
    for (int k = CpeMatchFields::kStartIncluding; k < CpeMatchFields::kSlots; ++k)
      if (!f.text[k].empty()) {
        put(",\""sv);
        put(CpeMatchFields::kNames[k]);
        put("\":\""sv);
        put(f.text[k]);
        *p++ = '"';
      }
    *p++ = '}';
    c.resize(static_cast<size_t>(p - c.data()));
  }

  // The same, its strings escaped as JSON needs.
  static void WriteEscaped(std::string& c, const CpeMatchFields& f, bool first) {
    c += first ? "{\"vulnerable\":"sv : ",{\"vulnerable\":"sv;
    c += f.vulnerable ? "true,"sv : "false,"sv;
    AppendField(c, "criteria"sv, f.text[CpeMatchFields::kCriteria]);
    for (int k = CpeMatchFields::kStartIncluding; k < CpeMatchFields::kSlots; ++k)
      if (!f.text[k].empty()) {
        c += ',';
        AppendField(c, CpeMatchFields::kNames[k], f.text[k]);
      }
    c += '}';
  }

  // A copy of s among the feed's text (lower case: the products' names).
  std::string_view Keep(std::string_view s) {
    if (s.empty()) return {};
    char* p = Room(s.size());
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }
  std::string_view KeepLower(std::string_view s) {
    if (s.empty()) return {};
    char* p = Room(s.size());
    AsciiLowerInto(s, p);  // eight bytes at a time (a byte at a time: 2 % of the reader)
    return {p, s.size()};
  }

  const std::string& file_;
  // n bytes among the records' text, taken from the block at hand (the resource's allocate, a
  // virtual call, per string was a twentieth of the reader's instructions).
  char* Room(size_t n, size_t align = 1) {
    void* at = next_;
    size_t space = static_cast<size_t>(end_ - next_);
    if (next_ == nullptr || std::align(align, n, at, space) == nullptr) {
      const size_t size = std::max(n, block_);
      at = text_->allocate(size, alignof(std::max_align_t));
      end_ = static_cast<char*>(at) + size;
    }
    next_ = static_cast<char*>(at) + n;
    return static_cast<char*>(at);
  }

  std::pmr::memory_resource* text_;
  const size_t block_;
  char *next_ = nullptr, *end_ = nullptr;  // the block at hand
  // The record's products so far (their names already among the text), and the last one as its
  // criterion wrote it.
  std::vector<ProductName> products_;
  std::string_view last_product_;
  // The metric to keep so far: views into the text (or simdjson's buffer where a string had an
  // escape), copied once per record.
  int best_rank_ = 0;
  bool best_primary_ = false;
  std::string_view best_version_, best_vector_, best_severity_;
  double best_score_ = 0;
};

}  // namespace

Result<NvdFeed> ReadNvdFeed(std::string_view json, const std::string& file) {
  auto bad_json = [&] {
    return MakeError(ErrorCode::kInvalidArgument, "feed.bad_json", {file}, file);
  };
  // One parser per thread keeps its buffers from file to file: a fresh one per 4 MB page spent
  // more time faulting in new memory than parsing. Its first step (the structural index) runs
  // the kernel simdjson picks for this CPU at run time.
  thread_local od::parser parser;
  // simdjson reads a few bytes past the end: the text is copied into a buffer with room for
  // them, also kept from file to file.
  thread_local std::string padded;
  padded.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  padded.assign(json);
  // A yearly file of a few hundred MB is not kept for the life of a server thread.
  struct Release {
    ~Release() {
      if (padded.capacity() <= (64U << 20)) return;
      std::string().swap(padded);
      parser = od::parser();
    }
  } release;
  od::document doc;
  if (parser.iterate(padded.data(), padded.size(), padded.capacity()).get(doc)) return bad_json();
  od::object root;
  if (doc.get_object().get(root)) return bad_json();
  // The records' text: blocks of a quarter of the page's size (about what the records keep of it).
  NvdFeed out;
  out.text = std::make_unique<std::pmr::monotonic_buffer_resource>();
  FeedReader reader(file, out.text.get(), std::max<size_t>(json.size() / 4, 4096));
  std::vector<CveRecord> single;
  bool has_list = false;
  unsigned seen = 0;
  static constexpr std::array<std::string_view, 1> kCveWrapper = {"cve"};
  static constexpr std::array<std::string_view, 3> kRootFields = {"cve", "vulnerabilities",
                                                                  "resultsPerPage"};
  for (auto field_result : root) {
    od::field f;
    if (std::move(field_result).get(f)) return bad_json();
    int slot = SlotOf<kRootFields>(f);
    if (!FirstOf(slot, &seen)) continue;
    if (slot == 2) {  // an API page says how many records it holds, before them: room for them
      uint64_t count = 0;
      if (f.value().get_uint64().get(count) == simdjson::SUCCESS)
        out.records.reserve(std::min<uint64_t>(count, 100000));
      continue;
    }
    if (slot == 0) {
      single.emplace_back();
      MAMORI_RETURN_IF_ERROR(reader.Record(f.value(), RecordPlace{"cve"}, &single.back()));
      continue;
    }
    od::array list;
    if (auto e = f.value().get_array().get(list)) return reader.Fail(e, "-", "vulnerabilities");
    has_list = true;
    size_t i = 0;
    for (auto item : list) {
      RecordPlace where{"vulnerabilities", i++};
      od::object wrapper;
      if (auto e = item.get_object().get(wrapper)) return reader.Fail(e, where.Str(), "cve");
      bool found = false;
      for (auto inner : wrapper) {
        od::field g;
        if (auto e = std::move(inner).get(g)) return reader.Fail(e, where.Str(), "cve");
        if (found || SlotOf<kCveWrapper>(g) != 0) continue;
        found = true;
        out.records.emplace_back();
        MAMORI_RETURN_IF_ERROR(reader.Record(g.value(), where, &out.records.back()));
      }
      if (!found) return BadRecord(file, where.Str(), "cve");
    }
  }
  // Anything after the document (a second one, stray text) is not an NVD file.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return bad_json();
  if (!single.empty()) {  // a single record ({"cve": …}) is what a lookup by name reads
    out.records = std::move(single);
    return out;
  }
  if (!has_list) return BadRecord(file, "-", "vulnerabilities");
  return out;
}

Result<std::vector<CpeProduct>> ReadCpeDictionary(std::string_view json, const std::string& file) {
  thread_local dom::parser parser;  // buffers kept from file to file, as above
  dom::element root;
  if (parser.parse(json.data(), json.size(), true).get(root))
    return MakeError(ErrorCode::kInvalidArgument, "feed.bad_json", {file}, file);
  dom::array products;
  if (root["products"].get_array().get(products)) return BadRecord(file, "-", "products");
  std::vector<CpeProduct> out;
  std::set<std::pair<std::string, std::string>> seen;
  size_t i = 0;
  for (dom::element p : products) {
    std::string where = "products[" + std::to_string(i++) + "]";
    std::string_view name;
    if (p["cpe"]["cpeName"].get_string().get(name)) return BadRecord(file, where, "cpeName");
    auto cpe = ParseCpe(name);
    if (!cpe.ok()) return BadRecord(file, where, "cpeName " + std::string(name));
    bool deprecated = false;
    if (auto d = p["cpe"]["deprecated"]; !d.error() && d.get_bool().get(deprecated))
      return BadRecord(file, where, "deprecated");
    if (deprecated) continue;
    CpeProduct c{AsciiLower(cpe->Vendor()), AsciiLower(cpe->Product()), std::string(cpe->Part()),
                 ""};
    if (!seen.insert({c.vendor, c.product}).second) continue;
    std::string en;
    if (dom::array titles; !p["cpe"]["titles"].get_array().get(titles))
      for (dom::element t : titles) {
        std::string_view lang, title;
        if (t["lang"].get_string().get(lang) || t["title"].get_string().get(title)) continue;
        if (lang == "ja") c.title = std::string(title);
        if (lang == "en") en = std::string(title);
      }
    if (c.title.empty()) c.title = en;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace mamori::vuln
