#include "core/json_body.hpp"

#include "core/time.hpp"

namespace mamori {

Result<JsonBody> JsonBody::Parse(std::string_view text) {
  Json j;
  try {
    // nlohmann reports where parsing failed only through its exception; it stays in here.
    j = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return MakeError(ErrorCode::kInvalidArgument, "json.invalid", {std::to_string(e.byte)});
  } catch (const Json::exception& e) {
    // e.g. out_of_range 406: a number too large for a double ({"n": 1e999}); found by fuzzing.
    Error err = MakeError(ErrorCode::kInvalidArgument, "json.number_range");
    err.detail = e.what();
    return err;
  }
  if (!j.is_object()) return MakeError(ErrorCode::kInvalidArgument, "json.not_object");
  return JsonBody(std::move(j));
}

void JsonBody::Fail(Error e) {
  if (!error_) error_ = std::move(e);
}

const Json* JsonBody::Get(const std::string& key, bool required) {
  known_.insert(key);
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) {
    if (required) Fail(MakeError(ErrorCode::kInvalidArgument, "json.missing_field", {key}, key));
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> JsonBody::String(const std::string& key, bool required, size_t max_len) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Fail(MakeError(ErrorCode::kInvalidArgument, "json.wrong_type", {key, "string"}, key));
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_len) {
    Fail(MakeError(ErrorCode::kInvalidArgument, "json.too_long", {key, std::to_string(max_len)},
                   key));
    return std::nullopt;
  }
  return s;
}

std::optional<int64_t> JsonBody::Int(const std::string& key, bool required) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer()) {
    Fail(MakeError(ErrorCode::kInvalidArgument, "json.wrong_type", {key, "integer"}, key));
    return std::nullopt;
  }
  return v->get<int64_t>();
}

std::optional<bool> JsonBody::Bool(const std::string& key, bool required) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    Fail(MakeError(ErrorCode::kInvalidArgument, "json.wrong_type", {key, "boolean"}, key));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::map<std::string, std::string>> JsonBody::StringMap(const std::string& key,
                                                                      bool required,
                                                                      size_t max_items) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    Fail(MakeError(ErrorCode::kInvalidArgument, "json.wrong_type", {key, "object"}, key));
    return std::nullopt;
  }
  if (v->size() > max_items) {
    Fail(MakeError(ErrorCode::kInvalidArgument, "json.too_many", {key, std::to_string(max_items)},
                   key));
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  for (const auto& [k, val] : v->items()) {
    if (!val.is_string()) {
      Fail(MakeError(ErrorCode::kInvalidArgument, "json.wrong_type",
                     {std::string(key).append(".").append(k), "string"}, key));
      return std::nullopt;
    }
    out[k] = val.get<std::string>();
  }
  return out;
}

std::optional<std::vector<int64_t>> JsonBody::IdList(const std::string& key, bool required,
                                                     size_t max_items) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array() || v->empty()) {
    Fail(MakeError(ErrorCode::kInvalidArgument, "json.wrong_type", {key, "id[]"}, key));
    return std::nullopt;
  }
  if (v->size() > max_items) {
    Fail(MakeError(ErrorCode::kInvalidArgument, "json.too_many", {key, std::to_string(max_items)},
                   key));
    return std::nullopt;
  }
  std::vector<int64_t> out;
  std::set<int64_t> seen;
  for (size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_number_integer() || item.get<int64_t>() <= 0) {
      std::string at = key + "[" + std::to_string(i) + "]";
      Fail(MakeError(ErrorCode::kInvalidArgument, "json.wrong_type", {at, "id"}, at));
      return std::nullopt;
    }
    if (seen.insert(item.get<int64_t>()).second) out.push_back(item.get<int64_t>());
  }
  return out;
}

std::optional<std::vector<std::string>> JsonBody::StringList(const std::string& key, bool required,
                                                             size_t max_items) {
  const Json* v = Get(key, required);
  if (v == nullptr) return std::nullopt;
  std::vector<std::string> out;
  if (v->is_string()) {
    std::string cur;
    for (char c : v->get_ref<const std::string&>() + ",") {
      if (c == ',' || c == ';' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
  } else if (v->is_array()) {
    for (const auto& item : *v) {
      if (!item.is_string()) {
        Fail(MakeError(ErrorCode::kInvalidArgument, "json.wrong_type", {key, "string[]"}, key));
        return std::nullopt;
      }
      out.push_back(item.get<std::string>());
    }
  } else {
    Fail(MakeError(ErrorCode::kInvalidArgument, "json.wrong_type", {key, "string[]"}, key));
    return std::nullopt;
  }
  if (out.size() > max_items) {
    Fail(MakeError(ErrorCode::kInvalidArgument, "json.too_many", {key, std::to_string(max_items)},
                   key));
    return std::nullopt;
  }
  return out;
}

Status JsonBody::Finish() const {
  if (error_) return *error_;
  for (const auto& [key, value] : obj_.items()) {
    if (!known_.contains(key))
      return MakeError(ErrorCode::kInvalidArgument, "json.unknown_field", {key}, key);
  }
  return Ok();
}

void JsonBody::Read(const std::string& key, std::string& field, size_t max_len) {
  if (auto v = String(key, false, max_len)) field = *v;
}

void JsonBody::ReadId(const std::string& key, std::optional<int64_t>& field) {
  bool present = obj_.contains(key);
  bool null = present && obj_[key].is_null();
  auto v = Int(key, false);
  if (v)
    field = *v;
  else if (null)
    field.reset();
}

void JsonBody::ReadDate(const std::string& key, std::string& field) {
  auto v = String(key, false, 40);
  if (!v) return;
  if (v->empty()) {
    field.clear();
  } else if (auto d = ParseCalendarDate(*v)) {
    field = *d;
  } else {
    Fail(MakeError(ErrorCode::kInvalidArgument, "ledger.bad_date", {*v}, key));
  }
}

}  // namespace mamori
