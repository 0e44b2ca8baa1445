// Fashion-MNIST as a finite population: all 70,000 images (the 60,000 training images, then the
// 10,000 test images) from the files of Debian's dataset-fashion-mnist package.
#pragma once
#include <string>
#include <vector>

#include "sdegen/data/table.hpp"

namespace sdegen {

// Where Debian's dataset-fashion-mnist package installs the four files.
inline const std::string kFashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

// The ten class names, by class code 0..9.
const std::vector<std::string>& fashion_mnist_class_names();

// Reads train-{images,labels} then t10k-{images,labels} ("-idx3-ubyte.gz" and "-idx1-ubyte.gz",
// or the same names without ".gz") from `directory`: 70000 rows of 784 pixel values 0..255
// (each image's rows in order), feature shape 28 x 28, value range [0, 255], labels the class
// codes 0..9. Checks every file (see read_idx_bytes), that images are 28 x 28, that each labels
// file has one label per image and that labels are 0..9. Missing files: a UsageError saying to
// install the Debian package dataset-fashion-mnist.
Table read_fashion_mnist(const std::string& directory = kFashionMnistDirectory);

}  // namespace sdegen
