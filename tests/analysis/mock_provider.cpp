// The mock provider's server: one acceptor and a session per connection on
// one I/O thread; a "hang" keeps the connection open and silent until the
// mock is destroyed.
#include "mock_provider.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <simdjson.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string verdict_text(const char* decision, int confidence, const char* reasoning) {
  return std::string("{\"decision\":\"") + decision + "\",\"confidence\":" + std::to_string(confidence) +
         ",\"reasoning\":\"" + reasoning + "\"}";
}

mock_action answer(const std::string& content) {
  mock_action a;
  a.content = content;
  return a;
}

mock_action hang() {
  mock_action a;
  a.kind = mock_action::hang;
  return a;
}

struct mock_provider::state {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  mock_script script;
  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::vector<mock_request> requests;
  std::vector<std::shared_ptr<void>> hung;  // sessions kept open, silent (I/O thread)
  std::vector<std::function<void()>> closers;  // one per session (I/O thread)
  std::thread thread;
  std::uint16_t port = 0;
};

namespace {

// The signal a request is about: its prompt carries the context's JSON.
std::string signal_of(std::string_view content) {
  auto field = [&](std::string_view name) -> std::string {
    const std::string key = "\"" + std::string(name) + "\":";
    const auto at = content.find(key);
    if (at == std::string_view::npos) return {};
    auto rest = content.substr(at + key.size());
    if (!rest.empty() && rest.front() == '"') rest = rest.substr(1, rest.find('"', 1) - 1);
    else rest = rest.substr(0, rest.find_first_of(",}"));
    return std::string(rest);
  };
  const auto symbol = field("symbol"), close = field("close_time");
  return symbol.empty() || close.empty() ? "" : symbol + "|" + close;
}

mock_request read_request(const http::request<http::string_body>& request) {
  mock_request r;
  r.at = std::chrono::steady_clock::now();
  r.authorization = std::string(request[http::field::authorization]);
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  if (parser.parse(request.body()).get(body)) return r;
  std::string_view model, content;
  if (!body["model"].get_string().get(model)) r.model = model;
  if (body["temperature"].get_double().get(r.temperature)) r.temperature = -1;
  simdjson::dom::array messages;
  if (!body["messages"].get_array().get(messages))
    for (auto m : messages)
      if (std::string_view role; !m["role"].get_string().get(role) && role == "user" &&
                                 !m["content"].get_string().get(content)) {
        r.signal = signal_of(content);
        r.prompt = content;
      }
  return r;
}

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, mock_provider::state& st) : stream_(std::move(socket)), state_(st) {}
  void start() {
    state_.closers.push_back([weak = weak_from_this()] {
      if (auto self = weak.lock()) {
        beast::error_code ignored;
        self->stream_.socket().close(ignored);
      }
    });
    do_read_();
  }

 private:
  void do_read_() {
    request_ = {};
    http::async_read(stream_, buffer_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->on_read_();
    });
  }
  void on_read_() {
    mock_request seen = read_request(request_);
    std::size_t index = 0;
    {
      std::lock_guard lock(state_.mutex);
      index = state_.requests.size();
      state_.requests.push_back(seen);
    }
    state_.arrived.notify_all();
    const mock_action action = state_.script(index, seen);
    if (action.kind == mock_action::hang) {
      std::lock_guard lock(state_.mutex);
      state_.hung.push_back(shared_from_this());
      return;
    }
    if (action.kind == mock_action::close) {
      beast::error_code ignored;
      stream_.socket().close(ignored);
      return;
    }
    response_ = {static_cast<http::status>(action.status), 11};
    response_.set(http::field::content_type, "application/json");
    if (action.retry_after) response_.set(http::field::retry_after, std::to_string(action.retry_after));
    if (!action.raw_body.empty())
      response_.body() = action.raw_body;
    else if (action.status == 200)
      response_.body() =
          "{\"id\":\"gen-1\",\"object\":\"chat.completion\",\"model\":\"" + runtime::json_escape(seen.model) +
          "\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\","
          "\"content\":\"" + runtime::json_escape(action.content) +
          "\"}}],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"total_tokens\":120}}";
    else
      response_.body() = "{\"error\":{\"code\":" + std::to_string(action.status) + ",\"message\":\"mock\"}}";
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec && self->response_.keep_alive()) self->do_read_();
    });
  }

  beast::tcp_stream stream_;
  mock_provider::state& state_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

void do_accept(mock_provider::state& st) {
  st.acceptor.async_accept([&st](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    std::make_shared<session>(std::move(socket), st)->start();
    do_accept(st);
  });
}

}  // namespace

mock_provider::mock_provider(mock_script script) : state_(std::make_shared<state>()) {
  state_->script = std::move(script);
  const tcp::endpoint at(asio::ip::make_address("127.0.0.1"), 0);
  state_->acceptor.open(at.protocol());
  state_->acceptor.set_option(asio::socket_base::reuse_address(true));
  state_->acceptor.bind(at);
  state_->acceptor.listen();
  state_->port = state_->acceptor.local_endpoint().port();
  do_accept(*state_);
  state_->thread = std::thread([st = state_.get()] { st->io.run(); });
}

mock_provider::~mock_provider() {
  // On the I/O thread: stop accepting, abort every session's pending
  // operation and release the hung ones; run() then ends, out of work.
  asio::post(state_->io, [st = state_.get()] {
    beast::error_code ignored;
    st->acceptor.close(ignored);
    for (auto& close : st->closers) close();
    st->closers.clear();
    std::lock_guard lock(st->mutex);
    st->hung.clear();
  });
  state_->thread.join();
}

std::string mock_provider::url() const {
  return "http://127.0.0.1:" + std::to_string(state_->port) + "/api/v1";
}

std::vector<mock_request> mock_provider::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

bool mock_provider::wait_requests(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->arrived.wait_for(lock, timeout, [&] { return state_->requests.size() >= count; });
}

}  // namespace vyx::test
