// Learning-rate schedules: constant, or step decay (lr * decay^floor((t-1) / every)).
// eta_t is the rate of step t = 1..T.
#pragma once
#include "sdegen/config/grid.hpp"

namespace sdegen {

class LearningRateSchedule {
 public:
  explicit LearningRateSchedule(const CellParams& cell);
  double at(int step) const;  // step >= 1

 private:
  double lr_, decay_;
  int every_;
  bool stepped_;
};

}  // namespace sdegen
