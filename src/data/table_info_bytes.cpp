// A table's information as length-prefixed fields in a fixed order, in native byte order: both
// ends are ranks of one job on machines of one kind.
#include "sdegen/data/table_info_bytes.hpp"

#include <cstring>
#include <stdexcept>

namespace sdegen {

namespace {

class Writer {
 public:
  template <class T>
  void number(T value) {
    static_assert(std::is_arithmetic_v<T>);
    bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void text(const std::string& s) {
    number<std::uint64_t>(s.size());
    bytes += s;
  }
  void texts(const std::vector<std::string>& list) {
    number<std::uint64_t>(list.size());
    for (const auto& s : list) text(s);
  }
  template <class T>
  void numbers(const std::vector<T>& list) {
    number<std::uint64_t>(list.size());
    for (T v : list) number(v);
  }
  std::string bytes;
};

class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  template <class T>
  T number() {
    T value;
    need(sizeof value);
    std::memcpy(&value, bytes_.data() + at_, sizeof value);
    at_ += sizeof value;
    return value;
  }
  std::string text() {
    const auto size = number<std::uint64_t>();
    need(size);
    std::string s = bytes_.substr(at_, size);
    at_ += size;
    return s;
  }
  std::vector<std::string> texts() {
    std::vector<std::string> list(number<std::uint64_t>());
    for (auto& s : list) s = text();
    return list;
  }
  template <class T>
  std::vector<T> numbers() {
    const auto size = number<std::uint64_t>();
    need(size * sizeof(T));
    std::vector<T> list(size);
    for (auto& v : list) v = number<T>();
    return list;
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  void need(std::uint64_t size) const {
    if (size > bytes_.size() - at_) throw std::runtime_error("table information: truncated");
  }
  const std::string& bytes_;
  std::size_t at_ = 0;
};

}  // namespace

std::string pack_table_info(const TableInfo& info) {
  Writer w;
  w.number(static_cast<int>(info.label_kind));
  w.numbers(info.class_codes);
  w.texts(info.class_names);
  w.texts(info.feature_names);
  w.numbers(info.feature_shape);
  w.number<int>(info.value_range.has_value());
  w.number(info.value_range ? info.value_range->first : 0.0);
  w.number(info.value_range ? info.value_range->second : 0.0);
  const TableProvenance& p = info.provenance;
  w.text(p.format);
  w.number<std::uint64_t>(p.sources.size());
  for (const auto& s : p.sources) {
    w.text(s.path);
    w.number(s.bytes);
    w.number(s.crc32);
  }
  w.number(p.original_rows);
  w.number(p.original_cols);
  w.texts(p.pipeline);
  w.number<int>(p.features_crc32.has_value());
  w.number(p.features_crc32.value_or(0));
  w.number<int>(p.labels_crc32.has_value());
  w.number(p.labels_crc32.value_or(0));
  return std::move(w.bytes);
}

TableInfo unpack_table_info(const std::string& bytes) {
  Reader r(bytes);
  TableInfo info;
  info.label_kind = static_cast<LabelKind>(r.number<int>());
  info.class_codes = r.numbers<std::int64_t>();
  info.class_names = r.texts();
  info.feature_names = r.texts();
  info.feature_shape = r.numbers<int>();
  const bool has_range = r.number<int>() != 0;
  const double low = r.number<double>(), high = r.number<double>();
  if (has_range) info.value_range = std::make_pair(low, high);
  TableProvenance& p = info.provenance;
  p.format = r.text();
  p.sources.resize(r.number<std::uint64_t>());
  for (auto& s : p.sources) {
    s.path = r.text();
    s.bytes = r.number<std::uint64_t>();
    s.crc32 = r.number<std::uint32_t>();
  }
  p.original_rows = r.number<std::int64_t>();
  p.original_cols = r.number<std::int64_t>();
  p.pipeline = r.texts();
  for (std::optional<std::uint32_t>* crc : {&p.features_crc32, &p.labels_crc32}) {
    const bool present = r.number<int>() != 0;
    const auto value = r.number<std::uint32_t>();
    if (present) *crc = value;
  }
  if (!r.done()) throw std::runtime_error("table information: trailing bytes");
  return info;
}

}  // namespace sdegen
