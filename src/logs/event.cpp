#include "logs/event.hpp"

#include "core/crypto.hpp"
#include "core/text.hpp"

namespace mamori::logs {

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kSuccess:
      return "success";
    case Outcome::kFailure:
      return "failure";
    case Outcome::kUnknown:
      break;
  }
  return "unknown";
}

namespace {

Outcome ParseOutcome(const std::string& s) {
  if (s == "success") return Outcome::kSuccess;
  if (s == "failure") return Outcome::kFailure;
  return Outcome::kUnknown;
}

Json Common(const LogEvent& e) {
  Json j = {{"seq", e.seq},       {"time", e.time},       {"received", e.received},
            {"source", e.source}, {"format", e.format},   {"charset", e.charset},
            {"host", e.host},     {"app", e.app},         {"user", e.user},
            {"action", e.action}, {"object", e.object},   {"outcome", OutcomeName(e.outcome)},
            {"src_ip", e.src_ip}, {"message", e.message}, {"fields", e.fields}};
  if (e.offset_minutes) j["offset_minutes"] = *e.offset_minutes;
  if (e.time_from_receipt) j["time_from_receipt"] = true;
  if (e.facility >= 0) j["facility"] = e.facility;
  if (e.severity >= 0) j["severity"] = e.severity;
  return j;
}

}  // namespace

std::string LogEvent::Serialise() const {
  Json j = Common(*this);
  if (IsValidUtf8(raw))
    j["raw"] = raw;
  else
    j["raw_b64"] = Base64Encode(raw);
  // Parsers hand over UTF-8; `replace` keeps a stray invalid byte from ever aborting a write.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<LogEvent> LogEvent::Deserialise(std::string_view payload) {
  auto j = Json::parse(payload, nullptr, false);
  if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_unsigned())
    return MakeError(ErrorCode::kCorruption, "logs.payload_bad");
  LogEvent e;
  try {
    e.seq = j["seq"].get<uint64_t>();
    e.time = j.value("time", int64_t{0});
    e.received = j.value("received", int64_t{0});
    if (j.contains("offset_minutes")) e.offset_minutes = j["offset_minutes"].get<int>();
    e.time_from_receipt = j.value("time_from_receipt", false);
    e.source = j.value("source", "");
    e.format = j.value("format", "");
    e.charset = j.value("charset", "");
    e.host = j.value("host", "");
    e.app = j.value("app", "");
    e.facility = j.value("facility", -1);
    e.severity = j.value("severity", -1);
    e.user = j.value("user", "");
    e.action = j.value("action", "");
    e.object = j.value("object", "");
    e.outcome = ParseOutcome(j.value("outcome", ""));
    e.src_ip = j.value("src_ip", "");
    e.message = j.value("message", "");
    if (j.contains("fields")) e.fields = j["fields"];
    if (j.contains("raw")) {
      e.raw = j["raw"].get<std::string>();
    } else if (j.contains("raw_b64")) {
      auto raw = Base64Decode(j["raw_b64"].get<std::string>());
      if (!raw) return MakeError(ErrorCode::kCorruption, "logs.payload_bad");
      e.raw = std::move(*raw);
    }
  } catch (const Json::exception&) {
    return MakeError(ErrorCode::kCorruption, "logs.payload_bad");
  }
  return e;
}

Json LogEvent::ToJson() const {
  Json j = Common(*this);
  j["time"] = FormatJst(time);
  j["received"] = FormatJst(received);
  j["raw"] = IsValidUtf8(raw) ? raw : Base64Encode(raw);
  return j;
}

}  // namespace mamori::logs
