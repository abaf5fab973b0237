// json_writer.hpp — just enough JSON output for the benchmark's --json report.
//
//   JsonWriter j;
//   j.begin_object().field("seed", 1).begin_array("models").begin_object().field("name", "x")
//    .end().end().end();
//   std::string text = j.str();
//
// Fields keep the order they are written in, so reports diff cleanly between runs. Non-finite
// numbers are written as null (JSON has no NaN).
#pragma once

#include <charconv>
#include <cstdio>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

class JsonWriter {
 public:
  JsonWriter& begin_object(std::string_view key = {}) { return open(key, '{', '}'); }
  JsonWriter& begin_array(std::string_view key = {}) { return open(key, '[', ']'); }
  JsonWriter& end() {
    const char close = closers_.back();
    closers_.pop_back();
    first_.pop_back();
    newline();
    out_ += close;
    return *this;
  }

  JsonWriter& field(std::string_view key, double v) {
    prefix(key);
    if (!std::isfinite(v)) {
      out_ += "null";
    } else {
      char buf[32];
      out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
    }
    return *this;
  }
  JsonWriter& field(std::string_view key, long v) { prefix(key); out_ += std::to_string(v); return *this; }
  JsonWriter& field(std::string_view key, int v) { return field(key, static_cast<long>(v)); }
  JsonWriter& field(std::string_view key, std::size_t v) { prefix(key); out_ += std::to_string(v); return *this; }
  JsonWriter& field(std::string_view key, bool v) { prefix(key); out_ += v ? "true" : "false"; return *this; }
  JsonWriter& field(std::string_view key, std::string_view v) { prefix(key); quote(v); return *this; }
  JsonWriter& field(std::string_view key, const char* v) { return field(key, std::string_view(v)); }
  // A value that is already JSON text (another writer's str(), say), inserted as it is.
  JsonWriter& raw(std::string_view key, std::string_view json) { prefix(key); out_ += json; return *this; }

  const std::string& str() const { return out_; }

 private:
  JsonWriter& open(std::string_view key, char open, char close) {
    prefix(key);
    out_ += open;
    closers_.push_back(close);
    first_.push_back(true);
    return *this;
  }
  // Separator, indentation and, inside an object, the key.
  void prefix(std::string_view key) {
    if (!first_.empty()) {
      if (!first_.back()) out_ += ',';
      first_.back() = false;
      newline();
    }
    if (!closers_.empty() && closers_.back() == '}') {
      quote(key);
      out_ += ": ";
    }
  }
  void newline() {
    out_ += '\n';
    out_.append(2 * closers_.size(), ' ');
  }
  void quote(std::string_view s) {
    out_ += '"';
    for (char c : s) {
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out_ += buf;
      } else {
        out_ += c;
      }
    }
    out_ += '"';
  }

  std::string out_;
  std::vector<char> closers_;
  std::vector<bool> first_;
};

}  // namespace bench
