// Which purposes draw data: the training set, W_0, the held-out sample, the supersample's points and
// masks. Everything else (the dynamics' batches and noise, the estimators' coupled runs and
// perturbations) is training-keyed.
#include "sdegen/random/replicate_streams.hpp"

namespace sdegen {

bool keyed_by_data(Purpose purpose) {
  switch (purpose) {
    case Purpose::data:
    case Purpose::init:
    case Purpose::holdout:
    case Purpose::test:
    case Purpose::supersample:
    case Purpose::mask:
      return true;
    default:
      return false;
  }
}

}  // namespace sdegen
