// Strict reading of JSON request bodies: every field is declared by the handler; a missing
// required field, a wrong type or an unknown field is an error that names the field.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace mamori {

using Json = nlohmann::json;

class JsonBody {
 public:
  // Parses `text` as one JSON object. Errors: json.invalid (with the byte offset), json.not_object.
  static Result<JsonBody> Parse(std::string_view text);

  // Each accessor records the field as known. A required field that is absent, or a value of the
  // wrong type, records the first error, returned by Finish().
  std::optional<std::string> String(const std::string& key, bool required, size_t max_len = 4096);
  std::optional<int64_t> Int(const std::string& key, bool required);
  std::optional<bool> Bool(const std::string& key, bool required);
  // An array of strings, or one string whose values are separated by commas, semicolons,
  // spaces or new lines (as people type lists into one field).
  std::optional<std::vector<std::string>> StringList(const std::string& key, bool required,
                                                     size_t max_items = 64);

  // An array of positive integers (record ids), 1 to max_items of them, each once (a repeat is
  // dropped); an element of another type is named as key[i].
  std::optional<std::vector<int64_t>> IdList(const std::string& key, bool required,
                                             size_t max_items = 1000);

  // An object whose values are all strings (a header → field mapping).
  std::optional<std::map<std::string, std::string>> StringMap(const std::string& key, bool required,
                                                              size_t max_items = 200);

  // Update helpers: an absent field leaves `field` as it is. Text up to max_len; an id (JSON null
  // clears it); a date in 西暦 or 和暦 stored as YYYY-MM-DD ("" clears it; anything else records
  // ledger.bad_date naming the field).
  void Read(const std::string& key, std::string& field, size_t max_len = 500);
  void ReadId(const std::string& key, std::optional<int64_t>& field);
  void ReadDate(const std::string& key, std::string& field);

  // The first error seen, or json.unknown_field for a field no accessor asked for.
  Status Finish() const;

  bool Has(const std::string& key) const { return obj_.contains(key); }

 private:
  explicit JsonBody(Json obj) : obj_(std::move(obj)) {}
  const Json* Get(const std::string& key, bool required);
  void Fail(Error e);

  Json obj_;
  std::set<std::string> known_;
  std::optional<Error> error_;
};

}  // namespace mamori
