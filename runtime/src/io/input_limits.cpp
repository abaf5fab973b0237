#include "axisim/input_limits.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "axisim/error.hpp"

namespace axisim {
namespace {

// Moves `i` past the next `end` (or to the end of the text).
void skip_past(std::string_view t, std::size_t& i, std::string_view end) {
  const std::size_t found = t.find(end, i);
  i = found == std::string_view::npos ? t.size() : found + end.size();
}

// The same, counting the newlines passed.
void skip_past(std::string_view t, std::size_t& i, std::string_view end, std::size_t& line) {
  const std::size_t from = i;
  skip_past(t, i, end);
  line += static_cast<std::size_t>(std::count(t.begin() + static_cast<std::ptrdiff_t>(from),
                                              t.begin() + static_cast<std::ptrdiff_t>(i), '\n'));
}

bool at(std::string_view t, std::size_t i, std::string_view s) { return t.compare(i, s.size(), s) == 0; }

// A DOCTYPE declaration, with its internal subset: brackets and quoted strings may hold '>'.
void skip_doctype(std::string_view t, std::size_t& i, std::size_t& line) {
  int brackets = 0;
  for (++i; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '\n') ++line;
    else if (c == '"' || c == '\'') {
      ++i;
      skip_past(t, i, std::string_view(&c, 1), line);
      --i;
    } else if (c == '<' && at(t, i, "<!--")) {
      skip_past(t, i, "-->", line);
      --i;
    } else if (c == '[') ++brackets;
    else if (c == ']') --brackets;
    else if (c == '>' && brackets <= 0) {
      ++i;
      return;
    }
  }
}

[[noreturn]] void too_deep_xml(const std::string& label, std::size_t line, std::size_t limit) {
  throw Error(ErrorKind::InvalidSbml, label + ": line " + std::to_string(line) + ": " + xml_too_deep_message(limit));
}

[[noreturn]] void too_deep_toml(const std::string& label, std::size_t line, std::size_t limit) {
  throw Error(ErrorKind::Io, label + ":" + std::to_string(line) + ": tables and arrays nested more than " +
                                 std::to_string(limit) +
                                 " levels deep (dotted keys and [a.b.c] headers count one level per part); "
                                 "axisim refuses such files before parsing them");
}

}  // namespace

std::string xml_too_deep_message(std::size_t limit) {
  return "XML elements nested more than " + std::to_string(limit) +
         " levels deep; axisim refuses such documents before parsing them, because reading them would "
         "overflow the stack (no SBML model needs this depth: check the tool that wrote the file)";
}

void check_xml_depth(std::string_view text, const std::string& label, std::size_t limit) {
  if (const std::size_t line = xml_too_deep_at(text, limit)) too_deep_xml(label, line, limit);
}

std::size_t xml_too_deep_at(std::string_view t, std::size_t limit) {
  // Runs on every document before libSBML sees it, so it counts no lines on the way: only
  // positions, and the line of the offending tag once, when there is one.
  auto line_of = [t](std::size_t pos) {
    return 1 + static_cast<std::size_t>(std::count(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
  };
  std::size_t depth = 0, unused = 0, i = 0;  // skip_doctype counts lines into `unused`
  const std::size_t n = t.size();
  const char* const data = t.data();
  while (i < n) {
    const void* next = std::memchr(data + i, '<', n - i);
    if (next == nullptr) break;
    i = static_cast<std::size_t>(static_cast<const char*>(next) - data);
    if (i + 1 < n && (t[i + 1] == '!' || t[i + 1] == '?' || t[i + 1] == '/')) {
      if (at(t, i, "<!--")) skip_past(t, i, "-->");
      else if (at(t, i, "<![CDATA[")) skip_past(t, i, "]]>");
      else if (t[i + 1] == '?') skip_past(t, i, "?>");
      else if (t[i + 1] == '!') skip_doctype(t, i, unused);
      else {
        if (depth > 0) --depth;
        skip_past(t, i, ">");
      }
      continue;
    }
    // A start tag: attribute values are quoted and may hold '>' or "/>".
    const std::size_t tag = i;
    char prev = '<';
    bool opens = false;
    for (++i; i < n; ++i) {
      const char c = data[i];
      if (c == '"' || c == '\'') {
        const void* close = std::memchr(data + i + 1, c, n - i - 1);
        i = close ? static_cast<std::size_t>(static_cast<const char*>(close) - data) : n - 1;
        prev = c;
        continue;
      }
      if (c == '>') {
        opens = prev != '/';  // "<x/>" is an element one level down that closes at once
        ++i;
        break;
      }
      prev = c;
    }
    if (depth + 1 > limit) return line_of(tag);
    if (opens) ++depth;
  }
  return 0;
}

void check_toml_depth(std::string_view t, const std::string& label, std::size_t limit) {
  // Depth counts nodes below the root table: `a = 1` puts a value at depth 1, `[x.y]` opens a
  // table at depth 2, `[[x]]` an array (1) and a table in it (2). Inside values, '[' and '{'
  // open containers; keys (before '=', at a line start or after '{' or ',' in an inline table)
  // add one level per dot. Dots elsewhere belong to numbers and dates.
  struct Frame {
    bool table;
    std::size_t depth;  // the container's own depth
  };
  std::vector<Frame> open;
  std::size_t line = 1, header = 0, current = 0, key_dots = 0;
  bool key = true, line_start = true;
  const std::size_t n = t.size();
  auto check = [&](std::size_t d) {
    if (d > limit) too_deep_toml(label, line, limit);
  };
  auto skip_string = [&](std::size_t& i) {  // i at the opening quote; leaves i on the last character
    const char q = t[i];
    if (at(t, i, q == '"' ? "\"\"\"" : "'''")) {
      // Multi-line: up to two more quotes may follow the closing three ("""a"""" is valid).
      i += 3;
      const std::string_view end = q == '"' ? "\"\"\"" : "'''";
      for (; i < n; ++i) {
        if (t[i] == '\n') ++line;
        else if (q == '"' && t[i] == '\\') {
          if (i + 1 < n && t[i + 1] == '\n') ++line;
          ++i;
        } else if (at(t, i, end)) break;
      }
      i += 2;
      while (i + 1 < n && t[i + 1] == q) ++i;
      return;
    }
    for (++i; i < n && t[i] != q && t[i] != '\n'; ++i)
      if (q == '"' && t[i] == '\\') ++i;
    if (i < n && t[i] == '\n') --i;  // unterminated: the parser reports it; keep the line count
  };
  for (std::size_t i = 0; i < n; ++i) {
    const char c = t[i];
    if (c == '\n') {
      ++line;
      if (open.empty()) {
        key = true;
        key_dots = 0;
        line_start = true;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (c == '#') {
      while (i + 1 < n && t[i + 1] != '\n') ++i;
      continue;
    }
    const bool was_line_start = line_start;
    line_start = false;
    if (c == '"' || c == '\'') {
      skip_string(i);
      continue;
    }
    if (was_line_start && open.empty() && c == '[') {
      // A table header: [a.b] or [[a.b]].
      const bool array = i + 1 < n && t[i + 1] == '[';
      if (array) ++i;
      std::size_t dots = 0;
      for (++i; i < n && t[i] != ']' && t[i] != '\n'; ++i) {
        if (t[i] == '"' || t[i] == '\'') skip_string(i);
        else if (t[i] == '.') ++dots;
      }
      if (i < n && t[i] == '\n') --i;
      else if (array && i + 1 < n && t[i + 1] == ']') ++i;
      header = dots + 1 + (array ? 1 : 0);
      check(header);
      key = false;  // nothing but a comment may follow on this line
      continue;
    }
    if (key && c != '}') {  // '}' ends an empty inline table, or one with a trailing comma
      if (c == '.') ++key_dots;
      else if (c == '=') {
        current = (open.empty() ? header : open.back().depth) + key_dots + 1;
        check(current);
        key = false;
      }
      continue;
    }
    switch (c) {
      case '[':
      case '{':
        open.push_back(Frame{c == '{', current});
        if (c == '{') {
          key = true;
          key_dots = 0;
        } else {
          current += 1;  // the array's elements
          check(current);
        }
        break;
      case ',':
        if (!open.empty()) {
          if (open.back().table) {
            key = true;
            key_dots = 0;
          } else {
            current = open.back().depth + 1;
          }
        }
        break;
      case ']':
      case '}':
        if (!open.empty()) {
          current = open.back().depth;
          open.pop_back();
        }
        key = false;
        break;
      default: break;
    }
  }
}

std::string read_text_file(const std::string& path, std::uintmax_t max_bytes, const std::string& what) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(ErrorKind::Io, path + ": no such " + what);
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(ErrorKind::Io, path + ": cannot read: " + ec.message());
  if (size > max_bytes)
    throw Error(ErrorKind::Io, path + ": the " + what + " is larger than " + std::to_string(max_bytes / (1024 * 1024)) +
                                   " MiB; axisim refuses it rather than read it into memory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, path + ": cannot open the " + what);
  // One read of the size found, then whatever the file grew by since (a stream copy through an
  // ostringstream cost as much as the depth scan that follows).
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw Error(ErrorKind::Io, path + ": cannot read the " + what);
  if (in) {
    std::ostringstream rest;
    rest << in.rdbuf();
    text += rest.str();
  }
  // The file may have grown between the size check and the read.
  if (text.size() > max_bytes) throw Error(ErrorKind::Io, path + ": the " + what + " grew while being read");
  return text;
}

}  // namespace axisim
