#include "server/server.hpp"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <thread>

#include "core/crypto.hpp"
#include "logs/logs_evaluators.hpp"
#include "server/api.hpp"
#include "server/metrics.hpp"
#include "store/tx.hpp"
#include "vuln/vuln_evaluators.hpp"

namespace mamori::server {

namespace {

Lang RequestLang(const httplib::Request& req) {
  if (req.has_param("lang")) {
    if (auto l = ParseLang(req.get_param_value("lang"))) return *l;
  }
  if (req.has_header("X-Mamori-Lang")) {
    if (auto l = ParseLang(req.get_header_value("X-Mamori-Lang"))) return *l;
  }
  auto cookie = req.get_header_value("Cookie");
  auto pos = cookie.find("mamori_lang=");
  if (pos != std::string::npos) {
    if (auto l = ParseLang(cookie.substr(pos + 12, 2))) return *l;
  }
  auto accept = req.get_header_value("Accept-Language");
  if (accept.rfind("en", 0) == 0) return Lang::kEn;
  return Lang::kJa;
}

std::string CookieValue(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    pos = end + 1;
  }
  return {};
}

int Rank(auth::Access a) {
  return a == auth::Access::kWrite ? 2 : a == auth::Access::kRead ? 1 : 0;
}

bool StateChanging(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

void WriteReply(httplib::Response& res, const Reply& r) {
  res.status = r.status;
  for (const auto& [k, v] : r.headers) res.set_header(k, v);
  if (r.raw) {
    res.set_content(*r.raw, r.content_type);
  } else {
    res.set_content(r.body.dump(-1, ' ', false, Json::error_handler_t::replace), r.content_type);
  }
}

void WriteError(httplib::Response& res, const Error& e, Lang lang) {
  res.status = HttpStatusFor(e.code);
  res.set_content(ErrorBody(e, lang).dump(), "application/json; charset=utf-8");
}

}  // namespace

struct Server::Impl {
  Impl(store::Database& d, ServerOptions o, auth::AuthPolicy policy)
      : db(d),
        opts(std::move(o)),
        auth(d, policy),
        ledger(d),
        audit(d),
        records(d),
        vuln(d, ledger),
        log_sources(d),
        log_reviews(d, records),
        registry(EvaluatorRegistry(
            vuln, {[this](int64_t org) { return LogsFor(org); }, log_sources, log_reviews})),
        checklist(d, ledger, records, registry),
        uploads(opts.upload_dir),
        services{d,           auth,
                 ledger,      audit,
                 records,     checklist,
                 vuln,        log_sources,
                 log_reviews, [this](int64_t org) { return LogsFor(org); },
                 uploads,     opts.secure_cookies || !opts.tls_cert.empty()} {}

  // The evaluators every checklist item may name; capabilities add theirs here.
  static checklist::Registry EvaluatorRegistry(vuln::VulnService& vuln, logs::LogsCapability logs) {
    checklist::Registry r;
    checklist::RegisterBuiltinEvaluators(r);
    vuln::RegisterEvaluators(r, vuln);
    logs::RegisterEvaluators(r, std::move(logs));
    return r;
  }

  // One LogsService per organisation, opened on first use and shared by every request (and the
  // receivers) for the server's life.
  logs::LogsService* LogsFor(int64_t org_id) {
    if (opts.log_dir.empty()) return nullptr;
    std::lock_guard lock(logs_mu);
    auto it = log_stores.find(org_id);
    if (it != log_stores.end()) return it->second.get();
    if (!first_org) {
      auto first = auth.FirstOrg();
      if (!first.ok() || !*first) return nullptr;
      first_org = **first;
    }
    auto svc = std::make_unique<logs::LogsService>(
        logs::LogDirOfOrg(opts.log_dir, org_id, *first_org), SystemClock());
    auto* out = svc.get();
    log_stores.emplace(org_id, std::move(svc));
    return out;
  }

  Result<Reply> Dispatch(const Endpoint& e, const httplib::Request& req, RequestContext& c) {
    if (StateChanging(c.method) && !c.body.empty()) {
      auto ct = req.get_header_value("Content-Type");
      // No HTML form can send these types either, so the CSRF defence holds for FHIR too.
      bool fhir = e.fhir_body &&
                  (ct.rfind("application/fhir+json", 0) == 0 ||
                   ct.rfind("application/fhir+xml", 0) == 0 || ct.rfind("application/xml", 0) == 0);
      if (ct.rfind("application/json", 0) != 0 && !fhir)
        return MakeError(ErrorCode::kInvalidArgument, "common.bad_content_type");
    }
    if (e.authenticated) {
      auto authz = req.get_header_value("Authorization");
      if (authz.rfind("Bearer ", 0) == 0) {
        MAMORI_ASSIGN_OR_RETURN(c.principal, auth.AuthenticateApiToken(authz.substr(7)));
      } else {
        auto token = CookieValue(req.get_header_value("Cookie"), "mamori_session");
        if (token.empty()) return MakeError(ErrorCode::kUnauthenticated, "auth.unauthenticated");
        MAMORI_ASSIGN_OR_RETURN(c.principal, auth.AuthenticateSession(token));
        if (StateChanging(c.method)) {
          // Double-submit is not enough for HttpOnly cookies: the token is bound to the session.
          auto sent = req.get_header_value("X-CSRF-Token");
          if (sent.empty() || !ConstantTimeEquals(sent, c.principal->csrf_token))
            return MakeError(ErrorCode::kPermissionDenied, "auth.csrf");
        }
      }
      if (c.principal->MustEnrolTotp() && !e.allowed_before_totp)
        return MakeError(ErrorCode::kPermissionDenied, "auth.totp_setup_required");
      if (e.access != auth::Access::kNone &&
          Rank(auth::AccessFor(c.principal->user.role, e.resource)) < Rank(e.access))
        return MakeError(ErrorCode::kPermissionDenied, "auth.forbidden");
    }
    return e.handler(c, services);
  }

  void Handle(const Endpoint& e, const httplib::Request& req, httplib::Response& res) {
    auto start = std::chrono::steady_clock::now();
    RequestContext c;
    c.method = req.method;
    c.path = req.path;
    c.body = req.body;
    for (const auto& [k, v] : req.params) c.params.emplace(k, v);
    for (size_t i = 1; i < req.matches.size(); ++i) c.path_ids.push_back(req.matches[i].str());
    c.ip = req.remote_addr;
    c.user_agent = req.get_header_value("User-Agent");
    c.lang = RequestLang(req);
    try {
      auto r = Dispatch(e, req, c);
      if (r.ok()) {
        WriteReply(res, *r);
      } else {
        if (r.error().key == "auth.bad_credentials" || r.error().key == "auth.locked")
          metrics.CountLoginFailure();
        if (HttpStatusFor(r.error().code) >= 500)
          std::fprintf(stderr, "mamori: %s %s: %s\n", e.method, e.path,
                       r.error().Message(Lang::kEn).c_str());
        WriteError(res, r.error(), c.lang);
      }
    } catch (const std::exception& ex) {
      // A bug: logged with the route, answered without details.
      std::fprintf(stderr, "mamori: BUG in %s %s: %s\n", e.method, e.path, ex.what());
      WriteError(res, MakeError(ErrorCode::kInternal, "common.internal"), c.lang);
    }
    res.set_header("Cache-Control", "no-store");
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    metrics.Observe(e.method, e.path, res.status, secs);
  }

  void Setup() {
    if (!opts.tls_cert.empty()) {
      http = std::make_unique<httplib::SSLServer>(opts.tls_cert.c_str(), opts.tls_key.c_str());
    } else {
      http = std::make_unique<httplib::Server>();
    }
    int threads = opts.threads;
    http->new_task_queue = [threads] {
      return new httplib::ThreadPool(static_cast<size_t>(threads));
    };
    http->set_payload_max_length(opts.max_body_bytes);
    http->set_keep_alive_max_count(100);
    // Without it small JSON responses wait for the client's delayed ACK (Nagle): ~40 ms each.
    http->set_tcp_nodelay(true);
    http->set_read_timeout(15, 0);
    http->set_write_timeout(15, 0);

    for (const auto& e : Endpoints()) {
      std::string pattern = std::regex_replace(std::string(e.path), std::regex("\\."), "\\.");
      pattern = std::regex_replace(pattern, std::regex("\\{id\\}"), "([0-9]+)");
      pattern = std::regex_replace(pattern, std::regex("\\{token\\}"), "([0-9a-f]{64})");
      pattern = std::regex_replace(pattern, std::regex("\\{upload\\}"), "([0-9a-f]{32})");
      auto h = [this, &e](const httplib::Request& req, httplib::Response& res) {
        Handle(e, req, res);
      };
      std::string m = e.method;
      if (m == "GET")
        http->Get(pattern, h);
      else if (m == "POST")
        http->Post(pattern, h);
      else if (m == "PATCH")
        http->Patch(pattern, h);
      else if (m == "PUT")
        http->Put(pattern, h);
      else if (m == "DELETE")
        http->Delete(pattern, h);
    }
    http->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      auto start = std::chrono::steady_clock::now();
      bool ok = false;
      if (auto conn = db.Acquire(); conn.ok()) ok = (*conn)->Query("SELECT 1").ok();
      res.status = ok ? 200 : 503;
      res.set_content(Json{{"status", ok ? "ok" : "unavailable"}}.dump(), "application/json");
      metrics.Observe(
          "GET", "/healthz", res.status,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    });
    http->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    if (!opts.web_root.empty()) http->set_mount_point("/", opts.web_root);

    http->set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                                    httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      Lang lang = RequestLang(req);
      Error e = res.status == 413   ? MakeError(ErrorCode::kTooLarge, "common.too_large")
                : res.status == 404 ? MakeError(ErrorCode::kNotFound, "common.no_route")
                                    : MakeError(ErrorCode::kInvalidArgument, "common.bad_request");
      res.set_content(ErrorBody(e, lang).dump(), "application/json; charset=utf-8");
      return httplib::Server::HandlerResponse::Handled;
    }));
    http->set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("X-Frame-Options", "DENY");
      res.set_header("Referrer-Policy", "no-referrer");
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                     "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    });
  }

  store::Database& db;
  ServerOptions opts;
  auth::AuthService auth;
  ledger::LedgerService ledger;
  audit::AuditService audit;
  resilience::ResilienceService records;
  vuln::VulnService vuln;
  logs::LogSourcesService log_sources;
  logs::ReviewService log_reviews;
  std::mutex logs_mu;
  std::map<int64_t, std::unique_ptr<logs::LogsService>> log_stores;
  std::optional<int64_t> first_org;
  checklist::Registry registry;
  checklist::ChecklistService checklist;
  UploadStore uploads;
  Services services;
  Metrics metrics;
  std::unique_ptr<httplib::Server> http;
  int port = 0;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> run_entered{false};
  std::atomic<bool> run_finished{false};
};

Server::Server(store::Database& db, ServerOptions options, auth::AuthPolicy policy)
    : impl_(std::make_unique<Impl>(db, std::move(options), policy)) {
  impl_->Setup();
}

Server::~Server() = default;

logs::LogsService* Server::FirstOrgLogs() {
  auto first = impl_->auth.FirstOrg();
  if (!first.ok() || !*first) return nullptr;
  return impl_->LogsFor(**first);
}

Result<std::vector<Server::OrgExpiry>> Server::ExpireLogs(UnixMillis now) {
  MAMORI_ASSIGN_OR_RETURN(auto orgs, impl_->auth.OrgIds());
  std::vector<OrgExpiry> out;
  for (int64_t org : orgs) {
    auto* store = impl_->LogsFor(org);
    if (store == nullptr) continue;
    store::Actor actor{org, std::nullopt, "schedule:serve", "local"};
    auto r = impl_->log_sources.Expire(actor, *store, now, false);
    if (!r.ok() && r.error().code == ErrorCode::kNotFound) continue;  // no store yet
    OrgExpiry& done = out.emplace_back();
    done.org_id = org;
    if (r.ok())
      done.record = std::move(r->record);
    else
      done.error = r.error();
  }
  return out;
}

Status Server::Bind() {
  if (!impl_->http->is_valid())
    return MakeError(ErrorCode::kInvalidArgument, "cli.tls_failed",
                     {impl_->opts.tls_cert, impl_->opts.tls_key});
  const auto& o = impl_->opts;
  if (o.port == 0) {
    impl_->port = impl_->http->bind_to_any_port(o.host);
    if (impl_->port <= 0)
      return MakeError(ErrorCode::kUnavailable, "cli.listen_failed", {o.host + ":0"});
  } else {
    if (!impl_->http->bind_to_port(o.host, o.port))
      return MakeError(ErrorCode::kUnavailable, "cli.listen_failed",
                       {o.host + ":" + std::to_string(o.port)});
    impl_->port = o.port;
  }
  return Ok();
}

int Server::port() const {
  return impl_->port;
}
void Server::Run() {
  impl_->run_entered = true;
  if (!impl_->stop_requested) impl_->http->listen_after_bind();
  impl_->run_finished = true;
}

void Server::Stop() {
  // httplib's stop() does nothing before the listener runs, so a Stop() racing a Run() that has
  // not started listening yet would be lost (found by a test hanging in TearDown).
  impl_->stop_requested = true;
  while (impl_->run_entered && !impl_->run_finished && !impl_->http->is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->http->stop();
}

}  // namespace mamori::server
