#include "logs/event.hpp"

#include <cstring>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "logs/segment_format.hpp"
#include "logs/syslog.hpp"

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

namespace {

// nlohmann's dump, written into `out` instead of a string of its own.
void DumpTo(std::string& out, const Json& j) {
  nlohmann::detail::serializer<Json> s(nlohmann::detail::output_adapter<char>(out), ' ',
                                       Json::error_handler_t::replace);
  s.dump(j, false, false, 0);
}

// The fields as nlohmann dumps them (an object's keys in order, no spaces), with the strings of
// a flat object written directly — nlohmann escapes byte by byte; a value that is not a valid
// UTF-8 string (a number, an array, a stray byte to replace) goes through its dump.
void DumpFieldsTo(std::string& out, const Json& fields) {
  if (!fields.is_object()) {
    DumpTo(out, fields);
    return;
  }
  out += '{';
  bool first = true;
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    if (!first) out += ',';
    first = false;
    if (IsValidUtf8(it.key()))
      AppendJsonString(out, it.key());
    else
      DumpTo(out, Json(it.key()));
    out += ':';
    const auto* s = it->get_ptr<const std::string*>();
    if (s != nullptr && IsValidUtf8(*s))
      AppendJsonString(out, *s);
    else
      DumpTo(out, *it);
  }
  out += '}';
}

}  // namespace

// The stored form written directly, byte for byte what dumping the JSON object would give
// (keys in sorted order; tests/unit compares the two on every real sample): building a JSON
// object first copied every string of every event and was a third of the writer's time.
std::string LogEvent::Serialise() const {
  std::string out;
  SerialiseTo(out);
  return out;
}

namespace {

constexpr char kCompactSyslog = '\x01';

}  // namespace

bool CompactRecordFits(const std::string& source, const SyslogOrigin& origin) {
  return source.size() <= 0xffff && origin.peer.size() <= 0xffff &&
         origin.tls_subject.size() <= 0xffff && origin.offset_minutes >= -0x8000 &&
         origin.offset_minutes <= 0x7fff;
}

// The compact record (event.hpp): what was received, not what mamori read from it — storing the
// normalised fields as well made the stored form four times the input, and their serialising
// and hashing most of the writer's time.
void AppendCompactRecord(std::string& out, UnixMillis received, const std::string& source,
                         const SyslogOrigin& origin, std::string_view raw) {
  out.reserve(out.size() + 17 + source.size() + origin.peer.size() + origin.tls_subject.size() +
              raw.size());
  out += kCompactSyslog;
  segfmt::AppendLe(out, static_cast<uint64_t>(received), 8);
  segfmt::AppendLe(out, static_cast<uint16_t>(origin.offset_minutes), 2);
  for (const std::string* s : {&source, &origin.peer, &origin.tls_subject}) {
    segfmt::AppendLe(out, s->size(), 2);
    out += *s;
  }
  out += raw;
}

namespace {

Result<LogEvent> FromCompact(std::string_view p) {
  auto bad = [] { return MakeError(ErrorCode::kCorruption, "logs.payload_bad"); };
  size_t at = 1;
  if (p.size() < at + 10) return bad();
  auto received = static_cast<UnixMillis>(segfmt::ReadLe(p.substr(at), 8));
  SyslogOrigin origin;
  origin.offset_minutes =
      static_cast<int16_t>(static_cast<uint16_t>(segfmt::ReadLe(p.substr(at + 8), 2)));
  at += 10;
  std::string source;
  for (std::string* s : {&source, &origin.peer, &origin.tls_subject}) {
    if (p.size() < at + 2) return bad();
    size_t n = segfmt::ReadLe(p.substr(at), 2);
    at += 2;
    if (p.size() < at + n) return bad();
    s->assign(p.substr(at, n));
    at += n;
  }
  return ReceiveSyslog(p.substr(at), received, source, std::move(origin));
}

}  // namespace

void LogEvent::SerialiseTo(std::string& out) const {
  if (origin && CompactRecordFits(source, *origin)) {
    AppendCompactRecord(out, received, source, *origin, raw);
    return;
  }
  const std::string* texts[] = {&action,  &app,    &charset, &format, &host,
                                &message, &object, &source,  &src_ip, &user};
  bool raw_text = IsValidUtf8(raw);
  for (const auto* t : texts)
    // Parsers hand over UTF-8; a stray invalid byte goes the JSON writer's way (replaced).
    if (!IsValidUtf8(*t)) {
      out += SerialiseThroughJson(*this);
      return;
    }
  out.reserve(out.size() + 256 + raw.size() * 2 + message.size());
  bool first = true;
  auto key = [&](const char* k) {
    out += first ? "{\"" : ",\"";
    first = false;
    out += k;
    out += "\":";
  };
  auto text = [&](const char* k, const std::string& v) {
    key(k);
    AppendJsonString(out, v);
  };
  auto number = [&](const char* k, int64_t v) {
    key(k);
    out += std::to_string(v);
  };
  text("action", action);
  text("app", app);
  text("charset", charset);
  if (facility >= 0) number("facility", facility);
  key("fields");
  DumpFieldsTo(out, fields);
  text("format", format);
  text("host", host);
  text("message", message);
  text("object", object);
  if (offset_minutes) number("offset_minutes", *offset_minutes);
  text("outcome", OutcomeName(outcome));
  if (raw_text)
    text("raw", raw);
  else
    text("raw_b64", Base64Encode(raw));
  number("received", received);
  key("seq");
  out += std::to_string(seq);
  if (severity >= 0) number("severity", severity);
  text("source", source);
  text("src_ip", src_ip);
  number("time", time);
  if (time_from_receipt) {
    key("time_from_receipt");
    out += "true";
  }
  text("user", user);
  out += '}';
}

std::string SerialiseThroughJson(const LogEvent& e) {
  // `replace` keeps a stray invalid byte from ever aborting a write.
  Json j = Common(e);
  if (IsValidUtf8(e.raw))
    j["raw"] = e.raw;
  else
    j["raw_b64"] = Base64Encode(e.raw);
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<LogEvent> LogEvent::Deserialise(std::string_view payload) {
  if (IsCompactRecord(payload)) return FromCompact(payload);
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
