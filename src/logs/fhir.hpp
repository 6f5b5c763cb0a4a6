// FHIR AuditEvent (IHE BALP): single resources and Bundles, in JSON and in XML, across the
// shapes real servers send — R4 (type as a Coding, outcome as a code, agent.who, entity.what),
// R5 (outcome and type as CodeableConcepts) and the older DSTU2 example shape (agent.userId,
// entity.reference). FHIR XML is turned into the JSON shape element by element (value
// attributes become values, repeated elements arrays) and mapped once: the requesting agent as
// the user (its network address as the source IP), the observer or site as the host, the
// patient entity (type 1 role 1, or a Patient/… reference) as the object, the outcome code
// (0 success, else failure) as the outcome.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "logs/event.hpp"
#include "logs/syslog.hpp"

namespace mamori::logs {

// Every AuditEvent in the document (a resource or a Bundle's entries); errors name the file and
// the entry and field.
Result<std::vector<LogEvent>> ParseFhirAuditEvents(std::string_view text, const SyslogContext& ctx,
                                                   const std::string& file);

}  // namespace mamori::logs
