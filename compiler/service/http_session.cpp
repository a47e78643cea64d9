// One connection of the compile service: request reading with early limits,
// routing, compile hand-off to the worker pool, responses.
#include "http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <cstdio>
#include <exception>
#include <optional>

#include <spdlog/spdlog.h>

#include "bearer_auth.hpp"
#include "service_state.hpp"
#include "vyx/common/json_writer.hpp"

namespace vyx::compiler::service {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using clock_type = std::chrono::steady_clock;
using common::json_writer;

namespace {

double milliseconds_since(clock_type::time_point start) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

}  // namespace

http_session::http_session(net::ip::tcp::socket&& socket, service_state& state)
    : stream_(std::move(socket)), state_(state) {}

http_session::~http_session() {
  state_.leave();
}

void http_session::run() {
  state_.join(shared_from_this());
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&http_session::do_read_header, shared_from_this()));
}

void http_session::stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    // An idle connection only waits for a next request that must not come.
    if (!self->busy_) self->stream_.cancel();
  });
}

void http_session::do_read_header() {
  if (stopping_ || state_.stopping()) return do_close();
  header_parser_.emplace();
  header_parser_->header_limit(state_.config().limits.header_limit);
  // The body limit is enforced by us once the whole header is known, so that
  // a 413 comes after routing and authentication, not in the middle of a field.
  header_parser_->body_limit(boost::none);
  early_close_ = false;
  stream_.expires_after(state_.config().limits.read_timeout);
  http::async_read_header(
      stream_, buffer_, *header_parser_,
      beast::bind_front_handler(&http_session::on_read_header, shared_from_this()));
}

void http_session::on_read_header(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return do_close();
  if (ec) return fail(ec, "read header");
  busy_ = true;
  request_start_ = clock_type::now();
  const auto& header = header_parser_->get();
  route_ = match_route(header.target());

  const auto& config = state_.config();
  if (route_.needs_token && !config.insecure &&
      !bearer_token_matches(header[http::field::authorization], config.token))
    return answer_early(401, "unauthorized",
                        "missing or wrong bearer token (Authorization: Bearer <VYXC_TOKEN>)");
  if (route_.which == endpoint::unknown)
    return answer_early(404, "not_found", "no endpoint at " + std::string(header.target()));
  if (!method_allowed(route_, header.method()))
    return answer_early(405, "method_not_allowed",
                        std::string(header.method_string()) + " is not allowed on " +
                            std::string(header.target()) + "; use " +
                            std::string(http::to_string(route_.method)));
  const auto content_type = header[http::field::content_type];
  if (route_.which == endpoint::compile &&
      !json_media_type(std::string_view(content_type.data(), content_type.size())))
    return answer_early(415, "unsupported_media_type",
                        "the body must be JSON (Content-Type: application/json), not " +
                            std::string(content_type.data(), content_type.size()));
  if (const auto length = header_parser_->content_length();
      length && *length > config.limits.body_limit)
    return answer_early(413, "body_too_large",
                        "the body is " + std::to_string(*length) + " bytes; the limit is " +
                            std::to_string(config.limits.body_limit));

  if (!header_parser_->is_done() && beast::iequals(header[http::field::expect], "100-continue"))
    return do_write_continue();
  do_read_body();
}

void http_session::do_write_continue() {
  auto response = std::make_shared<http::response<http::empty_body>>(
      http::status::continue_, header_parser_->get().version());
  response_ = response;
  http::async_write(
      stream_, *response,
      beast::bind_front_handler(&http_session::on_write_continue, shared_from_this()));
}

void http_session::on_write_continue(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "write 100-continue");
  response_.reset();
  do_read_body();
}

void http_session::do_read_body() {
  body_parser_.emplace(std::move(*header_parser_));
  header_parser_.reset();
  // Bodies without Content-Length (chunked) are held to the same limit here.
  body_parser_->body_limit(state_.config().limits.body_limit);
  http::async_read(stream_, buffer_, *body_parser_,
                   beast::bind_front_handler(&http_session::on_read_body, shared_from_this()));
}

void http_session::on_read_body(beast::error_code ec, std::size_t) {
  if (ec == http::error::body_limit)
    return answer_early(413, "body_too_large",
                        "the body exceeds the limit of " +
                            std::to_string(state_.config().limits.body_limit) + " bytes");
  if (ec) return fail(ec, "read body");
  request_ = body_parser_->release();
  body_parser_.reset();
  // A compile may outlast the read timeout; the write sets its own.
  stream_.expires_never();
  handle_request();
}

void http_session::handle_request() {
  switch (route_.which) {
    case endpoint::compile:
      return handle_compile();
    case endpoint::artifact:
      return handle_artifact();
    case endpoint::health: {
      json_writer json;
      json.begin_object();
      json.key("status").value(state_.stopping() ? "stopping" : "ok");
      json.key("workers").value(static_cast<std::uint64_t>(state_.queue().workers()));
      json.key("queueDepth").value(static_cast<std::uint64_t>(state_.queue().waiting()));
      json.key("running").value(static_cast<std::uint64_t>(state_.queue().running()));
      json.end_object();
      return send_json(200, json.take());
    }
    case endpoint::metrics: {
      auto& queue = state_.queue();
      string_response response{http::status::ok, request_.version()};
      response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      response.body() = state_.metrics().render(queue.waiting(), queue.running(), queue.workers());
      return do_write(std::move(response));
    }
    case endpoint::unknown:
      break;
  }
  send_error(404, "not_found", "no endpoint at " + std::string(request_.target()));
}

void http_session::handle_compile() {
  parsed_compile_request parsed = parse_compile_request(request_.body());
  if (!parsed.ok()) return send_error(parsed.error.status, parsed.error.code, parsed.error.message);
  do_compile(std::move(parsed.request));
}

void http_session::do_compile(compile_request request) {
  // A cached artifact is answered at once: it needs no worker, so it neither
  // waits behind compiles nor gets 503 when the queue is full.
  try {
    if (std::optional<compile_result> hit = state_.compiler().cached(request))
      return on_compile(std::move(*hit), {}, 0);
  } catch (const std::exception& e) {
    spdlog::warn("cache lookup failed, compiling instead: {}", e.what());
  }
  auto executor = stream_.get_executor();
  const auto queued_at = clock_type::now();
  const bool accepted = state_.queue().try_submit(
      [self = shared_from_this(), executor, request = std::move(request), queued_at] {
        const double queue_ms = milliseconds_since(queued_at);
        compile_result result;
        std::string internal_error;
        // The library reports findings as diagnostics; an exception here is a
        // fault of the service or the machine, answered as a 500.
        try {
          result = self->state_.compiler().build(request);
        } catch (const std::exception& e) {
          internal_error = e.what();
        } catch (...) {
          internal_error = "unknown exception";
        }
        return compile_queue::completion([self, executor, result = std::move(result),
                                          internal_error = std::move(internal_error),
                                          queue_ms]() mutable {
          net::post(executor, [self, result = std::move(result),
                               internal_error = std::move(internal_error), queue_ms]() mutable {
            self->on_compile(std::move(result), std::move(internal_error), queue_ms);
          });
        });
      });
  if (accepted) return;

  state_.metrics().count_rejected_compile();
  string_response response{http::status::service_unavailable, request_.version()};
  response.set(http::field::retry_after,
               std::to_string(state_.config().limits.retry_after.count()));
  response.set(http::field::content_type, "application/json");
  response.body() =
      state_.stopping()
          ? error_json("shutting_down", "the service is shutting down; retry on another instance")
          : error_json("queue_full",
                       "too many compiles are queued; retry after " +
                           std::to_string(state_.config().limits.retry_after.count()) + " s");
  do_write(std::move(response));
}

void http_session::on_compile(compile_result result, std::string internal_error, double queue_ms) {
  if (!internal_error.empty())
    return send_error(500, "internal_error", "the compiler failed: " + internal_error);
  service_timings timings;
  timings.queue_ms = queue_ms;
  timings.service_ms = milliseconds_since(request_start_);
  state_.metrics().record_compile(result.timings.total_ms / 1000.0, result.cache_hit, result.ok);
  // Signed here, after the compiler accepted and audited it: what a machine
  // later fetches is exactly what this answer vouched for.
  if (std::string error; result.ok && !state_.signer().ensure_signed(result.hash, result.artifact_path, error))
    spdlog::error("artifact signature: {}", error);
  send_json(200, compile_result_json(result, timings));
}

void http_session::handle_artifact() {
  const std::string& hash = route_.argument;
  if (!is_well_formed_hash(hash))
    return send_error(400, "invalid_hash", "an artifact hash is 64 lowercase hex digits");
  const std::filesystem::path path = state_.compiler().artifact(hash);
  http::file_body::value_type file;
  beast::error_code ec;
  if (!path.empty()) file.open(path.c_str(), beast::file_mode::scan, ec);
  if (path.empty() || ec)
    return send_error(404, "artifact_not_found", "no artifact with hash " + hash);

  http::response<http::file_body> response{std::piecewise_construct,
                                           std::make_tuple(std::move(file)),
                                           std::make_tuple(http::status::ok, request_.version())};
  response.set(http::field::content_type, "application/octet-stream");
  // Artifacts are content-addressed: a hash names one immutable file.
  response.set(http::field::etag, "\"" + hash + "\"");
  response.set(http::field::cache_control, "public, max-age=31536000, immutable");
  // No header when unsigned: a machine refuses the artifact and says why.
  if (const stored_signature signature = artifact_signer::read(path); !signature.signature.empty()) {
    response.set("X-Vyx-Signature", signature.signature);
    response.set("X-Vyx-Signature-Key", signature.key_id);
  }
  do_write(std::move(response));
}

void http_session::answer_early(unsigned status, std::string_view code, std::string message) {
  // The unread body stays in the socket: the connection cannot carry another request.
  early_close_ = header_parser_ && !header_parser_->is_done();
  if (body_parser_) early_close_ = !body_parser_->is_done();
  send_error(status, code, message);
}

void http_session::send_error(unsigned status, std::string_view code, std::string_view message) {
  string_response response{static_cast<http::status>(status), 11};
  response.set(http::field::content_type, "application/json");
  if (status == 401) response.set(http::field::www_authenticate, "Bearer");
  if (status == 405)
    response.set(http::field::allow, route_.method == http::verb::get ? "GET, HEAD" : "POST");
  response.body() = error_json(code, message);
  do_write(std::move(response));
}

void http_session::send_json(unsigned status, std::string body) {
  string_response response{static_cast<http::status>(status), 11};
  response.set(http::field::content_type, "application/json");
  response.body() = std::move(body);
  do_write(std::move(response));
}

template <class Body>
void http_session::do_write(http::response<Body>&& response) {
  // The request being answered lives in whichever stage reading reached.
  const auto answer_to = [&](const auto& request) {
    return std::tuple{request.keep_alive(), request.method() == http::verb::head,
                      request.version()};
  };
  const auto [request_keep_alive, head, version] = header_parser_ ? answer_to(header_parser_->get())
                                                   : body_parser_ ? answer_to(body_parser_->get())
                                                                  : answer_to(request_);
  const bool keep_alive = request_keep_alive && !early_close_ && !stopping_ && !state_.stopping();
  response.version(version);
  response.set(http::field::server, "vyxc");
  response.prepare_payload();
  response.keep_alive(keep_alive);
  state_.metrics().count_request(std::string(route_.label), response.result_int());

  if constexpr (!std::is_same_v<Body, http::empty_body>) {
    if (head) {
      // HEAD: the same header, no body.
      http::response<http::empty_body> bare{response.result(), response.version()};
      for (const auto& field : response.base()) bare.set(field.name_string(), field.value());
      return do_write_prepared(std::move(bare));
    }
  }
  do_write_prepared(std::move(response));
}

template <class Body>
void http_session::do_write_prepared(http::response<Body>&& response) {
  auto shared = std::make_shared<http::response<Body>>(std::move(response));
  response_ = shared;
  stream_.expires_after(state_.config().limits.write_timeout);
  http::async_write(
      stream_, *shared,
      beast::bind_front_handler(&http_session::on_write, shared_from_this(), shared->need_eof()));
}

void http_session::on_write(bool close, beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "write");
  response_.reset();
  busy_ = false;
  if (early_close_) return do_linger();
  if (close) return do_close();
  do_read_header();
}

void http_session::do_linger() {
  // Half-close, then drain what the client still sends: closing with unread
  // data would reset the connection and could destroy our answer in transit.
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(state_.config().limits.linger_timeout);
  stream_.async_read_some(net::buffer(linger_buffer_),
                          beast::bind_front_handler(&http_session::on_linger, shared_from_this()));
}

void http_session::on_linger(beast::error_code ec, std::size_t bytes) {
  // Any error (the client's EOF, the linger timeout) ends the drain.
  if (ec) return do_close();
  lingered_bytes_ += bytes;
  if (lingered_bytes_ > state_.config().limits.linger_bytes) return do_close();
  stream_.async_read_some(net::buffer(linger_buffer_),
                          beast::bind_front_handler(&http_session::on_linger, shared_from_this()));
}

void http_session::do_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

void http_session::fail(beast::error_code ec, const char* what) {
  // Clients going away, idle keep-alive timeouts and shutdown are routine.
  if (ec == net::error::operation_aborted || ec == beast::error::timeout || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == http::error::end_of_stream)
    return;
  std::fprintf(stderr, "vyxc serve: %s: %s\n", what, ec.message().c_str());
}

}  // namespace vyx::compiler::service
