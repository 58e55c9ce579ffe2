// YAML reading on libyaml's event parser: builds a YamlNode tree without recursion, with a
// depth limit, a node budget that bounds alias expansion, and located syntax errors.
#include "io/yaml/yaml.hpp"

#include <yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <unordered_map>

namespace outpace::io {

bool YamlNode::is_null() const {
  return kind == YamlKind::kScalar && plain &&
         (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL");
}

const YamlNode* YamlNode::find(std::string_view key) const {
  for (const YamlEntry& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

std::string YamlNode::describe() const {
  switch (kind) {
    case YamlKind::kSequence: return "a list";
    case YamlKind::kMapping: return "a mapping";
    case YamlKind::kScalar: break;
  }
  if (is_null()) return "nothing (null)";
  std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
  return "'" + shown + "'";
}

namespace {

/// A collection being built, with the key of a mapping entry that waits for its value.
struct Frame {
  YamlNode node;
  std::string anchor;
  std::size_t size = 1;   // nodes in this subtree
  int height = 1;         // collections on the deepest path, this one included
  bool has_key = false;
  bool drop_value = false;  // the pending key was rejected: ignore its value
  YamlEntry pending;
  std::unordered_map<std::string, int> key_lines;  // keys seen so far, for duplicates
};

/// A node that an alias may repeat, with its size and height.
struct Anchor {
  std::shared_ptr<const YamlNode> node;
  std::size_t size = 0;
  int height = 0;
};

int clamp_int(std::size_t v) { return static_cast<int>(std::min<std::size_t>(v, 1u << 30)); }

/// Turns libyaml events into a tree; every problem goes to the sink.
class Builder {
 public:
  Builder(const std::string& file, DiagnosticSink& sink) : file_(file), sink_(sink) {}
  std::optional<YamlNode> run(std::string_view text);

 private:
  SourceLocation at(const yaml_mark_t& mark) const {
    return {file_, clamp_int(mark.line) + 1, clamp_int(mark.column) + 1};
  }
  bool handle(const yaml_event_t& ev);
  bool open(YamlKind kind, const yaml_event_t& ev, const yaml_char_t* anchor);
  bool close();
  bool alias(const yaml_event_t& ev);
  bool untagged(const yaml_char_t* tag, const yaml_event_t& ev);
  bool charge(std::size_t nodes, const SourceLocation& where);
  void remember(const yaml_char_t* anchor, const YamlNode& node, std::size_t size, int height);
  void attach(YamlNode node, std::size_t size, int height);
  void syntax_error(const yaml_parser_t& parser, std::string_view text);

  const std::string& file_;
  DiagnosticSink& sink_;
  std::vector<Frame> stack_;
  std::map<std::string, Anchor, std::less<>> anchors_;
  std::optional<YamlNode> root_;
  std::size_t nodes_ = 0;
  int documents_ = 0;
};

bool Builder::charge(std::size_t nodes, const SourceLocation& where) {
  nodes_ += nodes;
  if (nodes_ <= kMaxYamlNodes) return true;
  sink_.error(where, "the document has more than " + std::to_string(kMaxYamlNodes) +
                         " nodes once aliases are expanded; a spec should be far smaller");
  return false;
}

void Builder::remember(const yaml_char_t* anchor, const YamlNode& node, std::size_t size,
                       int height) {
  if (!anchor) return;
  anchors_[reinterpret_cast<const char*>(anchor)] = {std::make_shared<YamlNode>(node), size, height};
}

void Builder::attach(YamlNode node, std::size_t size, int height) {
  if (stack_.empty()) {
    root_ = std::move(node);
    return;
  }
  Frame& top = stack_.back();
  top.size += size;
  top.height = std::max(top.height, height + 1);
  if (top.node.kind == YamlKind::kSequence) {
    top.node.items.push_back(std::move(node));
    return;
  }
  if (top.has_key) {  // a value completes the pending entry
    top.has_key = false;
    if (top.drop_value) return;
    top.pending.value = std::move(node);
    top.node.entries.push_back(std::move(top.pending));
    return;
  }
  top.has_key = true;
  top.drop_value = true;
  if (node.kind != YamlKind::kScalar) {
    sink_.error(node.where, "a mapping key must be a plain value, not " + node.describe());
    return;
  }
  const auto [seen, fresh] = top.key_lines.emplace(node.text, node.where.line);
  if (!fresh) {
    sink_.error(node.where, "key '" + node.text + "' is given twice (first at line " +
                                std::to_string(seen->second) + ")");
    return;
  }
  top.drop_value = false;
  top.pending = YamlEntry{std::move(node.text), std::move(node.where), {}};
}

bool Builder::open(YamlKind kind, const yaml_event_t& ev, const yaml_char_t* anchor) {
  if (static_cast<int>(stack_.size()) >= kMaxYamlDepth) {
    sink_.error(at(ev.start_mark), "lists and mappings are nested more than " +
                                       std::to_string(kMaxYamlDepth) + " deep");
    return false;
  }
  if (!charge(1, at(ev.start_mark))) return false;
  Frame f;
  f.node.kind = kind;
  f.node.where = at(ev.start_mark);
  if (anchor) f.anchor = reinterpret_cast<const char*>(anchor);
  stack_.push_back(std::move(f));
  return true;
}

bool Builder::close() {
  Frame f = std::move(stack_.back());
  stack_.pop_back();
  if (!f.anchor.empty()) {
    if (!charge(f.size, f.node.where)) return false;
    anchors_[f.anchor] = {std::make_shared<YamlNode>(f.node), f.size, f.height};
  }
  attach(std::move(f.node), f.size, f.height);
  return true;
}

bool Builder::alias(const yaml_event_t& ev) {
  const char* name = reinterpret_cast<const char*>(ev.data.alias.anchor);
  const auto it = anchors_.find(std::string_view(name));
  if (it == anchors_.end()) {
    sink_.error(at(ev.start_mark), std::string("alias '*") + name +
                                       "' does not name a complete node anchored before it");
    return false;
  }
  const Anchor& a = it->second;
  if (static_cast<int>(stack_.size()) + a.height > kMaxYamlDepth) {
    sink_.error(at(ev.start_mark), std::string("alias '*") + name + "' nests lists and mappings more than " +
                                       std::to_string(kMaxYamlDepth) + " deep");
    return false;
  }
  if (!charge(a.size, at(ev.start_mark))) return false;
  const std::shared_ptr<const YamlNode> keep = a.node;  // attach may not invalidate it
  attach(*keep, a.size, a.height);
  return true;
}

/// Refuses an explicit tag (`!!python/object`, `!!str`, `!local`): a spec holds plain values,
/// lists and mappings, and a tag would change what a value means without Outpace reading it.
bool Builder::untagged(const yaml_char_t* tag, const yaml_event_t& ev) {
  if (!tag) return true;
  std::string shown = reinterpret_cast<const char*>(tag);
  const std::string core = "tag:yaml.org,2002:";
  if (shown.rfind(core, 0) == 0) shown = "!!" + shown.substr(core.size());
  sink_.error(at(ev.start_mark), "YAML tag '" + shown +
                                     "' is not supported: a spec holds plain values, lists and "
                                     "mappings without tags");
  return false;
}

bool Builder::handle(const yaml_event_t& ev) {
  switch (ev.type) {
    case YAML_DOCUMENT_START_EVENT:
      if (++documents_ > 1) {
        sink_.error(at(ev.start_mark), "a spec file holds one YAML document; this is a second one");
        return false;
      }
      return true;
    case YAML_SCALAR_EVENT: {
      if (!untagged(ev.data.scalar.tag, ev) || !charge(1, at(ev.start_mark))) return false;
      YamlNode n;
      n.where = at(ev.start_mark);
      n.text.assign(reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length);
      n.plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
      remember(ev.data.scalar.anchor, n, 1, 0);
      attach(std::move(n), 1, 0);
      return true;
    }
    case YAML_SEQUENCE_START_EVENT:
      return untagged(ev.data.sequence_start.tag, ev) &&
             open(YamlKind::kSequence, ev, ev.data.sequence_start.anchor);
    case YAML_MAPPING_START_EVENT:
      return untagged(ev.data.mapping_start.tag, ev) &&
             open(YamlKind::kMapping, ev, ev.data.mapping_start.anchor);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      return close();
    case YAML_ALIAS_EVENT:
      return alias(ev);
    default:
      return true;
  }
}

void Builder::syntax_error(const yaml_parser_t& parser, std::string_view text) {
  SourceLocation where = at(parser.problem_mark);
  if (parser.error == YAML_READER_ERROR) {  // the reader reports a byte offset only
    const std::size_t offset = std::min(parser.problem_offset, text.size());
    const std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    where.line = clamp_int(std::count(text.begin(), text.begin() + offset, '\n')) + 1;
    where.column = clamp_int(line_start == std::string_view::npos || offset == 0
                                 ? offset + 1
                                 : offset - line_start);
  }
  std::string message = "YAML syntax error: ";
  message += parser.problem ? parser.problem : "malformed input";
  if (parser.error == YAML_READER_ERROR && parser.problem_value != -1) {
    char hex[32];
    std::snprintf(hex, sizeof hex, " (byte 0x%X)", static_cast<unsigned>(parser.problem_value));
    message += hex;
  }
  if (parser.context) {
    message += std::string(" (") + parser.context + " that starts at line " +
               std::to_string(clamp_int(parser.context_mark.line) + 1) + ", column " +
               std::to_string(clamp_int(parser.context_mark.column) + 1) + ")";
  }
  sink_.error(where, message);
}

std::optional<YamlNode> Builder::run(std::string_view text) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    sink_.error({file_, 0, 0}, "out of memory while starting the YAML parser");
    return std::nullopt;
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  bool good = true;
  for (bool done = false; !done && good;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      syntax_error(parser, text);
      good = false;
      break;
    }
    done = ev.type == YAML_STREAM_END_EVENT;
    good = handle(ev);
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  if (!good) return std::nullopt;
  return std::move(root_);
}

}  // namespace

std::optional<YamlNode> parse_yaml(std::string_view text, const std::string& file,
                                   DiagnosticSink& sink) {
  return Builder(file, sink).run(text);
}

}  // namespace outpace::io
