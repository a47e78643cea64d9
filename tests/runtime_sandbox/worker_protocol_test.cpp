// The pool <-> worker messages: each decodes what its encode wrote, and a
// frame that does not read back whole is refused, never overrun.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>

#include "protocol/worker_protocol.hpp"

namespace vyx::test {
namespace {

namespace protocol = runtime::protocol;

vyx_signal_value value(const char* name, double v) {
  vyx_signal_value s{};
  std::strncpy(s.name, name, VYX_NAME_CAPACITY - 1);
  s.value = v;
  return s;
}

// The payload cut short by `drop` bytes.
std::vector<char> truncated(const protocol::writer& w, std::size_t drop) {
  std::vector<char> bytes = w.bytes();
  bytes.resize(bytes.size() - drop);
  return bytes;
}

TEST_CASE("worker protocol: a tick command and its reply read back as written") {
  const protocol::tick_command command{7, 1'700'000'000'000, 10, 20, {0, 2, 5}};
  const auto back = protocol::tick_command::decode(command.encode().bytes());
  REQUIRE(back);
  CHECK(back->tick_id == 7);
  CHECK(back->now_ms == 1'700'000'000'000);
  CHECK(back->begin == 10);
  CHECK(back->end == 20);
  CHECK(back->traders == std::vector<std::uint32_t>{0, 2, 5});

  protocol::tick_reply reply;
  reply.tick_id = 7;
  reply.evaluations = 30;
  reply.cpu_ns = 12345;
  const vyx_signal_value values[] = {value("rsi", 71.5), value("close", 3.25)};
  reply.add_match(2, 11, values, 2);
  reply.add_match(5, 19, nullptr, 0);
  reply.errors.push_back({0, 12, VYX_ERR_INTERNAL});
  std::vector<runtime::match> matches;
  const auto decoded = protocol::tick_reply::decode_into(reply.encode().bytes(), matches);
  REQUIRE(decoded);
  CHECK(decoded->tick_id == 7);
  CHECK(decoded->evaluations == 30);
  CHECK(decoded->cpu_ns == 12345);
  REQUIRE(matches.size() == 2);
  CHECK(matches[0].trader_index == 2);
  CHECK(matches[0].symbol_index == 11);
  REQUIRE(matches[0].values.size() == 2);
  CHECK(matches[0].values[1].name == "close");
  CHECK(matches[0].values[1].value == 3.25);
  CHECK(matches[1].values.empty());
  REQUIRE(decoded->errors.size() == 1);
  CHECK(decoded->errors[0].symbol == 12);
  CHECK(decoded->errors[0].status == VYX_ERR_INTERNAL);
}

TEST_CASE("worker protocol: value names read back whole, a full field without its NUL too") {
  protocol::tick_reply reply;
  vyx_signal_value values[2] = {value("", 1.5), {}};
  std::memset(values[1].name, 'x', VYX_NAME_CAPACITY);  // no NUL: the pool reads 32 bytes
  values[1].value = -2;
  reply.add_match(0, 3, values, 2);
  std::vector<runtime::match> matches;
  REQUIRE(protocol::tick_reply::decode_into(reply.encode().bytes(), matches));
  REQUIRE(matches.size() == 1);
  REQUIRE(matches[0].values.size() == 2);
  CHECK(matches[0].values[0].name.empty());
  CHECK(matches[0].values[0].value == 1.5);
  CHECK(matches[0].values[1].name == std::string(VYX_NAME_CAPACITY, 'x'));
  CHECK(matches[0].values[1].value == -2);
}

TEST_CASE("worker protocol: a reply's matches go after those already there, or none of them") {
  protocol::tick_reply reply;
  reply.tick_id = 9;
  reply.evaluations = 4;
  vyx_signal_value values[3] = {value("rsi", 71.5), value("close", 3.25), {}};
  std::memset(values[2].name, 'y', VYX_NAME_CAPACITY);  // no NUL
  values[2].value = -1;
  reply.add_match(1, 4, values, 3);
  reply.add_match(3, 5, nullptr, 0);
  reply.errors.push_back({2, 6, VYX_ERR_INTERNAL});

  std::vector<runtime::match> out(1);  // one there before: kept, the new ones after it
  out[0].trader_index = 42;
  const auto header = protocol::tick_reply::decode_into(reply.encode().bytes(), out);
  REQUIRE(header);
  CHECK(header->tick_id == 9);
  CHECK(header->evaluations == 4);
  CHECK(header->matches.empty());
  CHECK(header->values.empty());
  REQUIRE(header->errors.size() == 1);
  CHECK(header->errors[0].trader == 2);
  REQUIRE(out.size() == 3);
  CHECK(out[0].trader_index == 42);
  CHECK(out[1].trader_index == 1);
  CHECK(out[1].symbol_index == 4);
  REQUIRE(out[1].values.size() == 3);
  CHECK(out[1].values[0].name == "rsi");
  CHECK(out[1].values[0].value == 71.5);
  CHECK(out[1].values[1].name == "close");
  CHECK(out[1].values[2].name == std::string(VYX_NAME_CAPACITY, 'y'));
  CHECK(out[1].values[2].value == -1);
  CHECK(out[2].trader_index == 3);
  CHECK(out[2].values.empty());

  // Cut anywhere, even inside the last error: refused, the matches read before it taken back.
  const protocol::writer whole = reply.encode();
  for (std::size_t drop = 1; drop < whole.bytes().size(); drop += 7) {
    std::vector<runtime::match> kept(1);
    CHECK(!protocol::tick_reply::decode_into(truncated(whole, drop), kept));
    CHECK(kept.size() == 1);
  }
}

TEST_CASE("worker protocol: malformed tick frames are refused") {
  protocol::tick_reply reply;
  const vyx_signal_value v = value("x", 1);
  reply.add_match(0, 0, &v, 1);
  std::vector<runtime::match> matches;
  CHECK(!protocol::tick_reply::decode_into(truncated(reply.encode(), 1), matches));
  // The wrong message type.
  CHECK(!protocol::tick_command::decode(reply.encode().bytes()));
  CHECK(!protocol::tick_reply::decode_into({}, matches));

  // A match claiming more values than any evaluator emits.
  protocol::writer forged(protocol::message::tick_result);
  forged.put(std::uint64_t{0});
  forged.put(std::uint64_t{0});
  forged.put(std::uint64_t{0});
  forged.put(std::uint32_t{1});  // matches
  forged.put(std::uint32_t{0});  // errors
  forged.put(std::uint32_t{0});
  forged.put(std::uint32_t{0});
  forged.put(protocol::tick_reply::max_values_per_match + 1);
  CHECK(!protocol::tick_reply::decode_into(forged.bytes(), matches));

  // A value name longer than the ABI's field.
  protocol::writer long_name(protocol::message::tick_result);
  long_name.put(std::uint64_t{0});
  long_name.put(std::uint64_t{0});
  long_name.put(std::uint64_t{0});
  long_name.put(std::uint32_t{1});  // matches
  long_name.put(std::uint32_t{0});  // errors
  long_name.put(std::uint32_t{0});
  long_name.put(std::uint32_t{0});
  long_name.put(std::uint32_t{1});  // values
  long_name.put(static_cast<std::uint8_t>(VYX_NAME_CAPACITY + 1));
  const std::string name(VYX_NAME_CAPACITY + 1, 'n');
  long_name.put_bytes(name.data(), name.size());
  long_name.put(1.0);
  CHECK(!protocol::tick_reply::decode_into(long_name.bytes(), matches));
  CHECK(matches.empty());

  // A command claiming more traders than its bytes hold.
  protocol::writer command(protocol::message::tick);
  command.put(std::uint64_t{1});
  command.put(std::int64_t{0});
  command.put(std::uint32_t{0});
  command.put(std::uint32_t{1});
  command.put(std::uint32_t{1'000'000});
  CHECK(!protocol::tick_command::decode(command.bytes()));
}

TEST_CASE("worker protocol: series, hello and the type word") {
  const protocol::series_command command{3, 42, 99};
  const auto back = protocol::series_command::decode(command.encode().bytes());
  REQUIRE(back);
  CHECK(back->trader == 3);
  CHECK(back->symbol == 42);
  CHECK(back->now_ms == 99);

  protocol::series_reply reply;
  reply.plot.series.push_back({"ema", VYX_PLOT_LINE, VYX_TF_1M, true, {1.0, 2.0, 3.0}});
  const auto plot = protocol::series_reply::decode(reply.encode().bytes());
  REQUIRE(plot);
  REQUIRE(plot->plot.series.size() == 1);
  CHECK(plot->plot.series[0].name == "ema");
  CHECK(plot->plot.series[0].panel);
  CHECK(plot->plot.series[0].values == std::vector<double>{1.0, 2.0, 3.0});
  // Values cut short: refused, not read past the end.
  CHECK(!protocol::series_reply::decode(truncated(reply.encode(), 8)));

  protocol::hello hello;
  hello.plugins.push_back({true, "", "breakout", 1u << VYX_TF_1M, 50, 4, true});
  hello.plugins.push_back({false, "bad ABI", "", 0, 0, 0, false});
  const auto greeted = protocol::hello::decode(hello.encode().bytes());
  REQUIRE(greeted);
  REQUIRE(greeted->plugins.size() == 2);
  CHECK(greeted->plugins[0].name == "breakout");
  CHECK(greeted->plugins[0].history_bars == 50);
  CHECK(greeted->plugins[0].has_series);
  CHECK(!greeted->plugins[1].ok);
  CHECK(greeted->plugins[1].error == "bad ABI");
  CHECK(!protocol::hello::decode(truncated(hello.encode(), 1)));

  CHECK(protocol::type_of(protocol::quit().bytes()) == protocol::message::quit);
  CHECK(!protocol::type_of({}));
  CHECK(!protocol::type_of(protocol::writer(static_cast<protocol::message>(9)).bytes()));
}

TEST_CASE(
    "worker protocol: a reply encoded again into the same writer is the reply encoded afresh") {
  protocol::tick_reply big;
  const vyx_signal_value values[] = {value("rsi", 28.5), value("close", 101.25)};
  for (std::uint32_t s = 0; s < 500; ++s) big.add_match(1, s, values, 2);
  protocol::tick_reply small;
  small.add_match(0, 7, values, 1);
  protocol::writer reused(protocol::message::quit);
  big.encode_into(reused);
  CHECK(reused.bytes() == big.encode().bytes());
  small.encode_into(reused);  // shorter: nothing of the first reply is left behind
  CHECK(reused.bytes() == small.encode().bytes());
}

TEST_CASE(
    "worker protocol: a frame larger than a socket buffer reads back whole, and so does the next") {
  int pair[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
  protocol::tick_reply reply;
  const vyx_signal_value values[] = {value("m5_close_time", 1.7e12), value("h1_count", 61)};
  for (std::uint32_t s = 0; s < 40'000; ++s) reply.add_match(s % 7, s, values, 2);
  const protocol::writer big = reply.encode();
  REQUIRE(big.bytes().size() > 1'000'000);  // sent as header and payload, two writes
  const protocol::writer after = protocol::quit();
  bool sent = false;
  std::thread sender(
      [&] { sent = protocol::send_frame(pair[0], big) && protocol::send_frame(pair[0], after); });
  std::vector<char> first, second;
  const bool got =
      protocol::receive_frame(pair[1], first) && protocol::receive_frame(pair[1], second);
  sender.join();
  close(pair[0]);
  close(pair[1]);
  CHECK(sent);
  REQUIRE(got);
  CHECK(first == big.bytes());
  CHECK(second == after.bytes());
}

}  // namespace
}  // namespace vyx::test
