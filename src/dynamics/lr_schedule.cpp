// Learning-rate schedules. The step schedule keeps eta constant within each period,
// so the terminal rate is lr * decay^floor((T-1) / every).
#include "sdegen/dynamics/lr_schedule.hpp"

#include <cmath>

namespace sdegen {

LearningRateSchedule::LearningRateSchedule(const CellParams& cell)
    : lr_(cell.lr), decay_(cell.lr_decay), every_(cell.lr_decay_every), stepped_(cell.lr_schedule == "step") {}

double LearningRateSchedule::at(int step) const {
  if (!stepped_) return lr_;
  return lr_ * std::pow(decay_, (step - 1) / every_);
}

}  // namespace sdegen
