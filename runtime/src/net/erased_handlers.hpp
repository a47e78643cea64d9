// The completion handlers of the runtime's Beast clients (net/http_client and
// the Binance feed's REST sessions), type-erased: Beast and Asio instantiate
// their composed operations (HTTP write/read over TLS, the handshake) once
// per handler type, so with one handler type both clients share one copy of
// that code in `vyx` instead of one each (about 0.4 MB; the runtime image's
// 20 MB budget, deploy/README.md). One heap allocation per step is nothing
// next to a network round trip, and neither client is on the hot path.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>

#include <cstddef>
#include <functional>

namespace vyx::runtime::net_handlers {

// A plain callable without an associated executor: the operation completes on
// the stream's executor (Asio's default). (asio::any_completion_handler would
// do, but Boost 1.81's cannot be posted by Beast's read operation.)
template <class... Args>
struct erased {
  std::function<void(Args...)> call;
  template <class F>
  explicit erased(F&& f) : call(std::forward<F>(f)) {}
  void operator()(Args... args) { call(std::move(args)...); }
};

using step = erased<boost::beast::error_code>;
using transfer = erased<boost::beast::error_code, std::size_t>;
using connect = erased<boost::beast::error_code, boost::asio::ip::tcp::endpoint>;

}  // namespace vyx::runtime::net_handlers
