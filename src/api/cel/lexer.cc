#include "api/cel/lexer.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace karpenter::api::cel {
namespace {

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentPart(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::string At(int offset) { return " at offset " + std::to_string(offset); }

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpaceAndComments();
      Token token;
      token.offset = static_cast<int>(pos_);
      if (pos_ >= src_.size()) {
        tokens.push_back(token);
        return tokens;
      }
      auto next = Next(token);
      if (!next) return std::unexpected(next.error());
      tokens.push_back(std::move(token));
    }
  }

 private:
  void SkipSpaceAndComments() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        ++pos_;
      } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '/') {
        while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
      } else {
        return;
      }
    }
  }

  Result<void> Next(Token& token) {
    char c = src_[pos_];
    bool raw = (c == 'r' || c == 'R') && pos_ + 1 < src_.size() &&
               (src_[pos_ + 1] == '\'' || src_[pos_ + 1] == '"');
    if (raw) {
      ++pos_;
      return String(token, /*raw=*/true);
    }
    if (c == '\'' || c == '"') return String(token, /*raw=*/false);
    if (IsIdentStart(c)) {
      std::size_t start = pos_;
      while (pos_ < src_.size() && IsIdentPart(src_[pos_])) ++pos_;
      token.kind = Token::Kind::kIdent;
      token.text = std::string(src_.substr(start, pos_ - start));
      return {};
    }
    if (IsDigit(c) || (c == '.' && pos_ + 1 < src_.size() && IsDigit(src_[pos_ + 1]))) {
      std::size_t start = pos_;
      auto number = Number(token);
      token.text = std::string(src_.substr(start, pos_ - start));
      return number;
    }
    static constexpr std::string_view kTwoChar[] = {"&&", "||", "==", "!=", "<=", ">="};
    for (std::string_view op : kTwoChar) {
      if (src_.substr(pos_, 2) == op) {
        token.kind = Token::Kind::kPunct;
        token.text = std::string(op);
        pos_ += 2;
        return {};
      }
    }
    static constexpr std::string_view kOneChar = "+-*/%<>!?:.,()[]{}";
    if (kOneChar.find(c) != std::string_view::npos) {
      token.kind = Token::Kind::kPunct;
      token.text = std::string(1, c);
      ++pos_;
      return {};
    }
    return Fail("unexpected character '" + std::string(1, c) + "'" + At(token.offset));
  }

  Result<void> Number(Token& token) {
    std::size_t start = pos_;
    if (src_.substr(pos_, 2) == "0x" || src_.substr(pos_, 2) == "0X") {
      pos_ += 2;
      std::size_t digits = pos_;
      while (pos_ < src_.size() && std::isxdigit(static_cast<unsigned char>(src_[pos_]))) ++pos_;
      return Integer(token, src_.substr(digits, pos_ - digits), 16, start);
    }
    while (pos_ < src_.size() && IsDigit(src_[pos_])) ++pos_;
    bool is_double = false;
    if (pos_ + 1 < src_.size() && src_[pos_] == '.' && IsDigit(src_[pos_ + 1])) {
      is_double = true;
      ++pos_;
      while (pos_ < src_.size() && IsDigit(src_[pos_])) ++pos_;
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      std::size_t save = pos_++;
      if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) ++pos_;
      if (pos_ < src_.size() && IsDigit(src_[pos_])) {
        is_double = true;
        while (pos_ < src_.size() && IsDigit(src_[pos_])) ++pos_;
      } else {
        pos_ = save;
      }
    }
    if (is_double) {
      token.kind = Token::Kind::kDouble;
      token.double_value = std::strtod(std::string(src_.substr(start, pos_ - start)).c_str(),
                                       nullptr);
      return {};
    }
    return Integer(token, src_.substr(start, pos_ - start), 10, start);
  }

  Result<void> Integer(Token& token, std::string_view digits, int base, std::size_t start) {
    bool is_uint = pos_ < src_.size() && (src_[pos_] == 'u' || src_[pos_] == 'U');
    if (is_uint) ++pos_;
    std::uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size()) {
      return Fail("invalid integer literal" + At(static_cast<int>(start)));
    }
    if (is_uint) {
      token.kind = Token::Kind::kUint;
      token.uint_value = value;
      return {};
    }
    // 9223372036854775808 is accepted here so that its negation can be the minimum int; the
    // parser rejects it anywhere else.
    if (value > 9223372036854775808ULL) {
      return Fail("integer literal out of range" + At(static_cast<int>(start)));
    }
    token.kind = Token::Kind::kInt;
    token.uint_value = value;
    token.int_value = value == 9223372036854775808ULL ? 0 : static_cast<std::int64_t>(value);
    return {};
  }

  Result<void> String(Token& token, bool raw) {
    char quote = src_[pos_];
    bool triple = src_.substr(pos_, 3) == std::string(3, quote);
    pos_ += triple ? 3 : 1;
    token.kind = Token::Kind::kString;
    while (true) {
      if (pos_ >= src_.size()) return Fail("unterminated string literal" + At(token.offset));
      char c = src_[pos_];
      if (triple ? src_.substr(pos_, 3) == std::string(3, quote) : c == quote) {
        pos_ += triple ? 3 : 1;
        return {};
      }
      if (!triple && (c == '\n' || c == '\r')) {
        return Fail("newline in string literal" + At(token.offset));
      }
      if (c == '\\' && !raw) {
        auto escaped = Escape(token.text);
        if (!escaped) return escaped;
        continue;
      }
      token.text.push_back(c);
      ++pos_;
    }
  }

  // Decodes the escape sequence at pos_ (which points at the backslash).
  Result<void> Escape(std::string& out) {
    int at = static_cast<int>(pos_);
    if (pos_ + 1 >= src_.size()) return Fail("bad escape" + At(at));
    char e = src_[pos_ + 1];
    pos_ += 2;
    switch (e) {
      case 'a': out.push_back('\a'); return {};
      case 'b': out.push_back('\b'); return {};
      case 'f': out.push_back('\f'); return {};
      case 'n': out.push_back('\n'); return {};
      case 'r': out.push_back('\r'); return {};
      case 't': out.push_back('\t'); return {};
      case 'v': out.push_back('\v'); return {};
      case '\\': case '\'': case '"': case '`': case '?': out.push_back(e); return {};
      case 'x': case 'X': return CodePoint(out, 2, 16, at);
      case 'u': return CodePoint(out, 4, 16, at);
      case 'U': return CodePoint(out, 8, 16, at);
      default:
        if (e >= '0' && e <= '3') {
          --pos_;
          return CodePoint(out, 3, 8, at);
        }
        return Fail("bad escape '\\" + std::string(1, e) + "'" + At(at));
    }
  }

  Result<void> CodePoint(std::string& out, std::size_t digits, int base, int at) {
    if (pos_ + digits > src_.size()) return Fail("bad escape" + At(at));
    std::uint32_t cp = 0;
    auto [ptr, ec] = std::from_chars(src_.data() + pos_, src_.data() + pos_ + digits, cp, base);
    if (ec != std::errc() || ptr != src_.data() + pos_ + digits || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return Fail("bad escape" + At(at));
    }
    pos_ += digits;
    AppendUtf8(out, cp);
    return {};
  }

  std::string_view src_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view source) { return Lexer(source).Run(); }

}  // namespace karpenter::api::cel
