#include "formats/nmap.hpp"

#include <cctype>
#include <pugixml.hpp>

#include "formats/xml_util.hpp"

namespace mamori::formats {

bool LooksLikeNmap(std::string_view bytes) {
  return bytes.substr(0, 4096).find("<nmaprun") != std::string_view::npos;
}

namespace {

// An nmap time attribute (seconds since 1970) in milliseconds, as mamori keeps times; 0 where it
// is absent or not a number. A number no clock gives (before 1970, past the year 9999) is refused:
// times a thousand, the largest ones did not fit in 64 bits (found by nmap_fuzz).
bool EpochMillis(const pugi::xml_attribute& a, UnixMillis* out) {
  constexpr long long kLastSecondOf9999 = 253402300799LL;
  const long long seconds = a.as_llong(0);
  if (seconds < 0 || seconds > kLastSecondOf9999) return false;
  *out = seconds * 1000;
  return true;
}

}  // namespace

Result<NmapScan> ReadNmapXml(std::string_view bytes, const std::string& file) {
  pugi::xml_document doc;
  // nmap files carry a DOCTYPE and often an xml-stylesheet instruction naming the scanning
  // host's nmap.xsl: both are ignored (pugixml resolves no external entities).
  auto res = doc.load_buffer(bytes.data(), bytes.size());
  if (!res)
    return MakeError(ErrorCode::kInvalidArgument, "nmap.bad_xml",
                     {file, std::to_string(res.offset), res.description()}, file);
  auto run = Child(doc, "nmaprun");
  if (!run) return MakeError(ErrorCode::kInvalidArgument, "nmap.not_nmap", {file}, file);
  NmapScan scan;
  scan.version = run.attribute("version").value();
  scan.args = run.attribute("args").value();
  if (!EpochMillis(run.attribute("start"), &scan.started))
    return MakeError(ErrorCode::kInvalidArgument, "nmap.bad_time",
                     {file, "nmaprun start", run.attribute("start").value()}, file);
  size_t index = 0;
  for (auto h = Child(run, "host"); h; h = NextSame(h), ++index) {
    if (std::string_view(Child(h, "status").attribute("state").value()) != "up") {
      ++scan.hosts_down;
      continue;
    }
    NmapHost host;
    UnixMillis end = 0;
    if (!EpochMillis(h.attribute("endtime"), &end))
      return MakeError(
          ErrorCode::kInvalidArgument, "nmap.bad_time",
          {file, "host[" + std::to_string(index + 1) + "] endtime", h.attribute("endtime").value()},
          file);
    host.seen = end > 0 ? end : scan.started;
    for (auto a = Child(h, "address"); a; a = NextSame(a)) {
      std::string_view type = a.attribute("addrtype").value();
      std::string addr = a.attribute("addr").value();
      if (type == "ipv4") host.ipv4 = addr;
      if (type == "ipv6") host.ipv6 = addr;
      if (type == "mac") {
        for (auto& c : addr) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        host.mac = addr;
        host.mac_vendor = a.attribute("vendor").value();
      }
    }
    if (host.ipv4.empty() && host.ipv6.empty() && host.mac.empty())
      return MakeError(ErrorCode::kInvalidArgument, "nmap.host_without_address",
                       {file, std::to_string(index + 1)}, file);
    for (auto n = Child(Child(h, "hostnames"), "hostname"); n; n = NextSame(n))
      if (auto name = std::string(n.attribute("name").value()); !name.empty())
        host.hostnames.push_back(name);
    for (auto p = Child(Child(h, "ports"), "port"); p; p = NextSame(p)) {
      NmapService s;
      s.protocol = p.attribute("protocol").value();
      s.port = p.attribute("portid").as_int(0);
      if (s.port < 0 || s.port > 65535)
        return MakeError(ErrorCode::kInvalidArgument, "nmap.bad_port",
                         {file, p.attribute("portid").value()}, file);
      s.state = Child(p, "state").attribute("state").value();
      auto svc = Child(p, "service");
      s.name = svc.attribute("name").value();
      s.product = svc.attribute("product").value();
      s.version = svc.attribute("version").value();
      s.extrainfo = svc.attribute("extrainfo").value();
      for (auto c = Child(svc, "cpe"); c; c = NextSame(c)) s.cpes.emplace_back(c.text().get());
      for (auto sc = Child(p, "script"); sc; sc = NextSame(sc))
        s.scripts.emplace_back(sc.attribute("id").value(), sc.attribute("output").value());
      host.services.push_back(std::move(s));
    }
    // nmap lists OS matches best first.
    if (auto m = Child(Child(h, "os"), "osmatch")) {
      host.os_guess = m.attribute("name").value();
      host.os_accuracy = m.attribute("accuracy").as_int(0);
      for (auto c = Child(m, "osclass"); c; c = NextSame(c))
        for (auto cpe = Child(c, "cpe"); cpe; cpe = NextSame(cpe))
          host.os_cpes.emplace_back(cpe.text().get());
    }
    scan.hosts.push_back(std::move(host));
  }
  return scan;
}

}  // namespace mamori::formats
