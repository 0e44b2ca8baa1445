// Fashion-MNIST's four IDX files combined into one table of raw pixels, with each file's
// consistency checked against its partner and the package's absence explained.
#include "sdegen/data/fashion_mnist.hpp"

#include <sys/stat.h>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/idx_file.hpp"

namespace sdegen {

namespace {

constexpr int kSide = 28;
constexpr int kClasses = 10;

bool is_file(const std::string& path) {
  struct stat status;
  return ::stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode);
}

// The compressed file if present, else the plain one; a UsageError naming the package otherwise.
std::string locate(const std::string& directory, const std::string& name) {
  const std::string base = directory + "/" + name;
  if (is_file(base + ".gz")) return base + ".gz";
  if (is_file(base)) return base;
  std::string message = "Fashion-MNIST: '" + base + ".gz' not found; install the Debian package dataset-fashion-mnist "
                        "(apt-get install dataset-fashion-mnist)";
  if (directory != kFashionMnistDirectory) message += ", which puts the files in " + kFashionMnistDirectory;
  throw UsageError(message);
}

struct Split {
  IdxArray images, labels;
  std::string images_path, labels_path;
};

Split read_split(const std::string& directory, const std::string& prefix) {
  Split split;
  split.images_path = locate(directory, prefix + "-images-idx3-ubyte");
  split.labels_path = locate(directory, prefix + "-labels-idx1-ubyte");
  split.images = read_idx_bytes(split.images_path, 3);
  split.labels = read_idx_bytes(split.labels_path, 1);
  const auto& shape = split.images.shape;
  if (shape[1] != kSide || shape[2] != kSide)
    throw UsageError("'" + split.images_path + "': images are " + std::to_string(shape[1]) + " x " +
                     std::to_string(shape[2]) + ", not 28 x 28");
  if (split.labels.shape[0] != shape[0])
    throw UsageError("'" + split.labels_path + "': " + std::to_string(split.labels.shape[0]) + " labels for the " +
                     std::to_string(shape[0]) + " images of '" + split.images_path + "'");
  for (std::size_t i = 0; i < split.labels.values.size(); ++i)
    if (split.labels.values[i] >= kClasses)
      throw UsageError("'" + split.labels_path + "': label " + std::to_string(split.labels.values[i]) + " of image " +
                       std::to_string(i) + " is not a class 0..9");
  return split;
}

}  // namespace

const std::vector<std::string>& fashion_mnist_class_names() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

Table read_fashion_mnist(const std::string& directory) {
  const Split splits[] = {read_split(directory, "train"), read_split(directory, "t10k")};
  Eigen::Index rows = 0;
  for (const auto& s : splits) rows += s.images.shape[0];
  constexpr Eigen::Index pixels = kSide * kSide;

  using ByteRows = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using ByteVector = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, 1>;
  RowMatrix features(rows, pixels);
  Eigen::VectorXd labels(rows);
  TableInfo info;
  info.provenance.format = "idx (Fashion-MNIST: train then t10k)";
  Eigen::Index first = 0;
  for (const auto& s : splits) {
    const Eigen::Index n = s.images.shape[0];
    features.middleRows(first, n) = Eigen::Map<const ByteRows>(s.images.values.data(), n, pixels).cast<double>();
    labels.segment(first, n) = Eigen::Map<const ByteVector>(s.labels.values.data(), n).cast<double>();
    first += n;
    info.provenance.sources.push_back(checksum_file(s.images_path));
    info.provenance.sources.push_back(checksum_file(s.labels_path));
  }
  info.label_kind = LabelKind::class_code;
  for (int k = 0; k < kClasses; ++k) info.class_codes.push_back(k);
  info.class_names = fashion_mnist_class_names();
  info.feature_shape = {kSide, kSide};
  info.value_range = std::make_pair(0.0, 255.0);
  info.provenance.original_rows = rows;
  info.provenance.original_cols = pixels;
  return Table(std::move(features), std::move(labels), std::move(info));
}

}  // namespace sdegen
