// IHE ATNA audit messages: DICOM PS3.15 A.5 XML in both dialects — RFC 3881's coded values
// (`code`, `displayName`) and DICOM's (`csd-code`, `originalText`) — with or without a UTF-8 BOM,
// alone, several under one root, or inside a syslog message (RFC 5424 MSGID "IHE+RFC-3881").
// Read with pugixml; mapped to the event model: time from EventDateTime, the requesting
// participant as the user (and its network access point as the source IP), the audit source as
// the host, the patient (ParticipantObjectTypeCode 1, role 1) as the object — its HL7 CX
// identifier "id^^^&OID&ISO" normalised to the id, the assigning authority kept — and the
// outcome from EventOutcomeIndicator.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "logs/event.hpp"
#include "logs/syslog.hpp"

namespace mamori::logs {

// Every AuditMessage in the document; an error names the file and the element or attribute.
Result<std::vector<LogEvent>> ParseAtna(std::string_view xml, const SyslogContext& ctx,
                                        const std::string& file);

// "54321^^^&1.2.3.4&ISO" → {"54321", "1.2.3.4"}; a plain id is returned as it is.
std::pair<std::string, std::string> NormalisePatientId(std::string_view cx);

}  // namespace mamori::logs
