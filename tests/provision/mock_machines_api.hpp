// A loopback stand-in for the Fly Machines API: it answers a scripted list of
// requests in order and records, for the test to check, every way a request
// differed from the script (method, path, headers, JSON body).
#pragma once

#include <simdjson.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vyx::test {

struct expected_call {
  std::string method;  // GET, POST, DELETE
  std::string target;  // path and query, exactly
  // For a body: returns what is wrong with it ("" when right).
  std::function<std::string(simdjson::dom::element)> check_body;
  unsigned status = 200;
  std::string response = "{}";
};

class mock_machines_api {
 public:
  explicit mock_machines_api(std::string token);
  ~mock_machines_api();
  mock_machines_api(const mock_machines_api&) = delete;
  mock_machines_api& operator=(const mock_machines_api&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void expect(expected_call call);
  // Problems so far, plus one for every expected call that never came.
  std::vector<std::string> problems();
  std::vector<std::string> bodies();  // every request body received, in order

 private:
  void serve();
  void answer(boost::asio::ip::tcp::socket& socket);

  std::string token_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::deque<expected_call> script_;
  std::vector<std::string> problems_, bodies_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vyx::test
