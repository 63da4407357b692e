#include "api/yaml_reader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "api/diagnostic.h"
#include "api/internal/yaml_scalar.h"

namespace karpenter::api {
namespace {

// Aborts parsing from inside the event handler with a message for the user.
struct ReadAbort : std::runtime_error {
  ReadAbort(const YAML::Mark& m, const std::string& message)
      : std::runtime_error(message), mark(m) {}
  YAML::Mark mark;
};

// Builds Json documents from yaml-cpp's parse events with an explicit stack, so nesting depth
// costs no recursion in our code, and records the position of every value.
class JsonBuilder : public YAML::EventHandler {
 public:
  JsonBuilder(std::string file, const ReadLimits& limits) : file_(std::move(file)), limits_(limits) {}

  std::vector<Document>& documents() { return documents_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    // yaml-cpp 0.7 can loop forever on some malformed input (a stray ',' before the first
    // document), starting empty documents at the same position without consuming anything.
    if (document_index_ > 0 && mark.pos == last_document_start_) {
      throw ReadAbort(mark, "unexpected character; the YAML parser cannot continue here");
    }
    last_document_start_ = mark.pos;
    current_ = Document{};
    current_.file = file_;
    current_.index = document_index_++;
    stack_.clear();
    anchors_.clear();
    has_root_ = false;
  }

  void OnDocumentEnd() override {
    if (has_root_ && !current_.value.is_null()) documents_.push_back(std::move(current_));
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Put(mark, Json(nullptr), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw ReadAbort(mark, "alias to an unknown anchor");
    // Each alias copies its anchor's value; bound the total so "billion laughs" input fails
    // fast instead of exhausting memory.
    expanded_values_ += CountValues(it->second);
    if (expanded_values_ > kMaxAliasExpansion) {
      throw ReadAbort(mark, "aliases expand to more than " + std::to_string(kMaxAliasExpansion) +
                                " values");
    }
    Put(mark, it->second, 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (!internal::IsValidUtf8(value)) throw ReadAbort(mark, "text is not valid UTF-8");
    Put(mark, Resolve(mark, tag, value), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, Json::array(), anchor);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, Json::object(), anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  static constexpr std::size_t kMaxAliasExpansion = 1'000'000;

  struct Frame {
    std::string pointer;
    Json value;
    YAML::anchor_t anchor = 0;
    bool expecting_key = true;  // maps only: the next scalar is a key
    std::string key;
    YAML::Mark key_mark;
    bool merging = false;  // the pending key is the YAML merge key `<<`
    // Keys that came from a merge; an explicit key may override them, whatever the order.
    std::unordered_set<std::string> merged_keys;
  };

  Json Resolve(const YAML::Mark& mark, const std::string& tag, const std::string& value) {
    // "!" marks a quoted scalar; explicit !!str keeps text as a string.
    if (tag == "!" || tag == "tag:yaml.org,2002:str") return Json(value);
    auto resolved = internal::ResolvePlainScalar(value);
    if (!resolved) throw ReadAbort(mark, resolved.error().message);
    return *resolved;
  }

  static std::size_t CountValues(const Json& value) {
    std::size_t count = 1;
    if (value.is_structured()) {
      for (const auto& child : value) count += CountValues(child);
    }
    return count;
  }

  // Pointer of the value about to be placed into the innermost open collection.
  std::string ChildPointer() const {
    const Frame& parent = stack_.back();
    if (parent.value.is_array()) return parent.pointer + "/" + std::to_string(parent.value.size());
    return parent.pointer + "/" + EscapePointerSegment(parent.key);
  }

  void Open(const YAML::Mark& mark, Json empty, YAML::anchor_t anchor) {
    if (!stack_.empty() && stack_.back().value.is_object() && stack_.back().expecting_key) {
      throw ReadAbort(mark, "complex mapping keys are not supported");
    }
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      throw ReadAbort(mark, "nesting deeper than " + std::to_string(limits_.max_depth) +
                                " levels is not supported");
    }
    std::string pointer = stack_.empty() ? "" : ChildPointer();
    Record(pointer, PositionMark(mark));
    Frame frame;
    frame.pointer = std::move(pointer);
    frame.value = std::move(empty);
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  void Close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.anchor != 0) anchors_[frame.anchor] = frame.value;
    Place(std::move(frame.value), frame.key_mark);
  }

  void Put(const YAML::Mark& mark, Json value, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = value;
    if (!stack_.empty() && stack_.back().value.is_object() && stack_.back().expecting_key) {
      TakeKey(mark, value);
      return;
    }
    if (!stack_.empty()) Record(ChildPointer(), PositionMark(mark));
    Place(std::move(value), mark);
  }

  // A map entry's value is located at its key, so a message about `spec` points at `spec:`.
  const YAML::Mark& PositionMark(const YAML::Mark& value_mark) const {
    if (!stack_.empty() && stack_.back().value.is_object()) return stack_.back().key_mark;
    return value_mark;
  }

  void TakeKey(const YAML::Mark& mark, const Json& key) {
    Frame& map = stack_.back();
    if (key.is_structured()) throw ReadAbort(mark, "complex mapping keys are not supported");
    map.key = key.is_string() ? key.get<std::string>() : key.is_null() ? "null" : key.dump();
    map.merging = key.is_string() && map.key == "<<";
    map.key_mark = mark;
    map.expecting_key = false;
  }

  // Puts a finished value into its parent, or makes it the document root.
  void Place(Json value, const YAML::Mark& mark) {
    if (stack_.empty()) {
      current_.value = std::move(value);
      has_root_ = true;
      return;
    }
    Frame& parent = stack_.back();
    if (parent.value.is_array()) {
      parent.value.push_back(std::move(value));
      return;
    }
    parent.expecting_key = true;
    if (parent.merging) {
      Merge(parent, value, mark);
      return;
    }
    if (parent.value.contains(parent.key) && !parent.merged_keys.erase(parent.key)) {
      throw ReadAbort(parent.key_mark, "mapping key \"" + parent.key + "\" already defined");
    }
    parent.value[parent.key] = std::move(value);
  }

  // YAML merge key: `<<: *base` (or a list of them) adds the keys the map does not have yet.
  void Merge(Frame& map, const Json& source, const YAML::Mark& mark) {
    auto merge_one = [&](const Json& from) {
      if (!from.is_object()) throw ReadAbort(mark, "merge key '<<' needs a mapping");
      for (const auto& [k, v] : from.items()) {
        if (!map.value.contains(k)) {
          map.value[k] = v;
          map.merged_keys.insert(k);
        }
      }
    };
    if (source.is_array()) {
      for (const auto& item : source) merge_one(item);
    } else {
      merge_one(source);
    }
  }

  void Record(const std::string& pointer, const YAML::Mark& mark) {
    if (!limits_.record_positions) return;
    current_.positions.emplace(pointer, SourcePosition{mark.line + 1, mark.column + 1});
  }

  std::string file_;
  ReadLimits limits_;
  std::vector<Document> documents_;
  Document current_;
  bool has_root_ = false;
  int document_index_ = 0;
  int last_document_start_ = -1;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Json> anchors_;
  std::size_t expanded_values_ = 0;
};

Diagnostic ReadError(std::string_view file, const YAML::Mark& mark, std::string message) {
  Diagnostic d;
  d.file = std::string(file);
  if (mark.line >= 0) {
    d.line = mark.line + 1;
    d.column = mark.column + 1;
  }
  d.message = std::move(message);
  return d;
}

}  // namespace

SourcePosition Document::PositionOf(std::string_view pointer) const {
  std::string key(pointer);
  while (true) {
    auto it = positions.find(key);
    if (it != positions.end()) return it->second;
    if (key.empty()) return {};
    key.erase(key.rfind('/'));
  }
}

ReadResult ReadYamlDocuments(std::string_view text, std::string_view file_name,
                             const ReadLimits& limits) {
  ReadResult result;
  if (text.size() > limits.max_bytes) {
    result.errors.push_back(ReadError(
        file_name, YAML::Mark::null_mark(),
        "input is " + std::to_string(text.size()) + " bytes, over the limit of " +
            std::to_string(limits.max_bytes) + " bytes"));
    return result;
  }
  std::istringstream stream{std::string(text)};
  JsonBuilder builder{std::string(file_name), limits};
  try {
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const ReadAbort& e) {
    result.errors.push_back(ReadError(file_name, e.mark, e.what()));
  } catch (const YAML::Exception& e) {
    result.errors.push_back(ReadError(file_name, e.mark, "invalid YAML: " + e.msg));
  }
  result.documents = std::move(builder.documents());
  return result;
}

}  // namespace karpenter::api
