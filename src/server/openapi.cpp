#include <regex>

#include "server/api.hpp"

namespace mamori::server {

Json OpenApiDocument() {
  Json paths = Json::object();
  for (const auto& e : Endpoints()) {
    std::string method = e.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string summary = e.summary;
    auto slash = summary.find(" / ");
    Json op{{"tags", Json::array({e.tag})},
            {"summary", summary.substr(0, slash)},
            {"description", slash == std::string::npos ? "" : summary.substr(slash + 3)},
            {"operationId",
             method + std::regex_replace(std::string(e.path), std::regex("[^A-Za-z0-9]+"), "_")}};
    Json responses{{"200",
                    {{"description", "OK"},
                     {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}},
                   {"400", {{"$ref", "#/components/responses/Error"}}}};
    if (e.authenticated) {
      op["security"] = Json::array({{{"session", Json::array()}}, {{"bearer", Json::array()}}});
      responses["401"] = {{"$ref", "#/components/responses/Error"}};
      responses["403"] = {{"$ref", "#/components/responses/Error"}};
      std::string access = e.access == auth::Access::kWrite  ? "write"
                           : e.access == auth::Access::kRead ? "read"
                                                             : "any authenticated user";
      op["x-mamori-access"] = access;
    } else {
      op["security"] = Json::array();
    }
    if (std::string(e.path).find("{token}") != std::string::npos)
      op["parameters"] =
          Json::array({{{"name", "token"},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}, {"pattern", "^[0-9a-f]{64}$"}}}}});
    if (std::string(e.path).find("{upload}") != std::string::npos) {
      op["parameters"] =
          Json::array({{{"name", "upload"},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}, {"pattern", "^[0-9a-f]{32}$"}}}}});
      responses["404"] = {{"$ref", "#/components/responses/Error"}};
    }
    if (std::string(e.path).find("{id}") != std::string::npos) {
      if (!op.contains("parameters")) op["parameters"] = Json::array();
      op["parameters"].push_back({{"name", "id"},
                                  {"in", "path"},
                                  {"required", true},
                                  {"schema", {{"type", "integer"}, {"minimum", 1}}}});
      responses["404"] = {{"$ref", "#/components/responses/Error"}};
    }
    if (method == "post" || method == "patch" || method == "put") {
      op["requestBody"] = {{"required", method != "patch"},
                           {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
      if (e.authenticated)
        op["parameters"].push_back({{"name", "X-CSRF-Token"},
                                    {"in", "header"},
                                    {"required", false},
                                    {"description", "required with a session cookie"},
                                    {"schema", {{"type", "string"}}}});
    }
    op["responses"] = responses;
    paths[e.path][method] = op;
  }
  Json error_schema{
      {"type", "object"},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"properties",
           {{"code", {{"type", "string"}}},
            {"key", {{"type", "string"}}},
            {"message", {{"type", "string"}, {"description", "in the caller's language (ja/en)"}}},
            {"field", {{"type", "string"}}}}},
          {"required", Json::array({"code", "key", "message"})}}}}}};
  return Json{
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "mamori API"},
        {"version", "1"},
        {"description",
         "医療機関のサイバーセキュリティ運用基盤 mamori の REST API。/ The REST API of mamori."}}},
      {"servers", Json::array({{{"url", "/"}}})},
      {"paths", paths},
      {"components",
       {{"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "mamori_session"}}},
          {"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas", {{"Error", error_schema}}},
        {"responses",
         {{"Error",
           {{"description", "Error"},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}}}};
}

}  // namespace mamori::server
