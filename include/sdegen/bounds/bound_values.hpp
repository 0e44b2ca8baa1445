// What bound estimators report for a cell: each bound's value, error bar, information term and
// validity, reference figures beside them, and attributes for the results file. Plain data.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sdegen {

// A bound as a function of a free parameter it is evaluated at (wang_mao_2022 against sigma):
// the value and its error bar at each point, and named components of the value.
struct BoundCurve {
  std::string parameter;    // the parameter's name (empty: no curve)
  std::string description;  // how the reported value was chosen from the curve
  std::vector<double> at, value, stderr_;
  std::vector<std::pair<std::string, std::vector<double>>> parts;  // e.g. ("flatness", ...)
};

struct BoundValue {
  std::string name;
  bool defined = false;
  std::string reason;   // why it is undefined (empty when defined)
  bool valid = false;   // a guaranteed bound for this cell's dynamics (else an estimate)
  double value = 0, stderr_ = 0, mi = 0;
  std::vector<std::pair<std::string, double>> extras;  // e.g. ("sigma", the chosen scale)
  std::string note;     // what a reader must know about a defined value (e.g. a choice at a range's edge)
  std::vector<double> running;  // the bound after each logged step (empty when not reported)
  BoundCurve curve;
};

// A Monte Carlo figure reported beside the bounds (e.g. the replace-one estimate of gen).
struct ReferenceValue {
  std::string name;
  double mean = 0, stderr_ = 0;
  bool defined = false;
};

using AttributeValue = std::variant<std::int64_t, double, std::string>;
struct NamedAttribute {
  std::string name;
  AttributeValue value;
};

// One estimator's results for one cell.
struct EstimatorReport {
  std::string family;
  std::vector<BoundValue> bounds;
  std::vector<ReferenceValue> references;
  std::vector<NamedAttribute> attributes;  // written on the cell's bounds group
  std::vector<std::string> warnings;       // what the run must be told (e.g. violated relations)
};

struct CellBounds {
  std::string loss;         // the evaluation loss the bounds apply to
  double r = 0;             // its subgaussian constant
  int jackknife_groups = 0; // non-empty groups used for the error bars
  std::vector<EstimatorReport> estimators;

  const BoundValue* find(const std::string& bound) const;  // nullptr when absent
  const ReferenceValue* find_reference(const std::string& name) const;  // nullptr when absent
};

}  // namespace sdegen
