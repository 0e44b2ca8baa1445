// Which purposes draw data: the training set, the held-out sample and W_0. Everything else (the
// dynamics' batches and noise, the estimators' coupled runs and perturbations) is training-keyed.
#include "sdegen/random/replicate_streams.hpp"

namespace sdegen {

bool keyed_by_data(Purpose purpose) {
  switch (purpose) {
    case Purpose::data:
    case Purpose::init:
    case Purpose::holdout:
      return true;
    default:
      return false;
  }
}

}  // namespace sdegen
