#include "handwritten_rhs.hpp"

#include <algorithm>
#include <cmath>

namespace bench {

HandwrittenRhs::HandwrittenRhs(const GeneratedModel& model)
    : num_species_(model.num_species()),
      volume_(model.compartment_size),
      rules_(model.rules),
      reactions_(model.reactions),
      conc_(model.num_species()),
      g_(model.rules.size()) {
  for (double c : model.initial_concentration) initial_amount_.push_back(c * volume_);
}

inline void HandwrittenRhs::prepare(const double* y) const {
  for (std::size_t i = 0; i < num_species_; ++i) conc_[i] = y[i] / volume_;
  for (std::size_t j = 0; j < rules_.size(); ++j) {
    const double x = conc_[rules_[j].species] / rules_[j].K;
    g_[j] = 1.0 / (1.0 + std::pow(x, static_cast<double>(rules_[j].hill)));
  }
}

inline double HandwrittenRhs::rate(const ReactionSpec& r) const {
  const double* c = conc_.data();
  const double V = volume_;
  switch (r.kind) {
    case Kinetics::Inflow: return V * r.k1;
    case Kinetics::Unimolecular: return V * r.k1 * c[r.reactants[0]];
    case Kinetics::Bimolecular: return V * r.k1 * c[r.reactants[0]] * c[r.reactants[1]];
    case Kinetics::Reversible: return V * (r.k1 * c[r.reactants[0]] - r.k2 * c[r.products[0]]);
    case Kinetics::MichaelisMenten: return V * r.k1 * c[r.reactants[0]] / (r.k2 + c[r.reactants[0]]);
    case Kinetics::Regulated: return V * r.k1 * c[r.reactants[0]] * g_[r.rule];
  }
  return 0.0;
}

void HandwrittenRhs::operator()(const double* y, double* ydot) const {
  prepare(y);
  std::fill(ydot, ydot + num_species_, 0.0);
  for (const ReactionSpec& r : reactions_) {
    const double v = rate(r);
    for (int i = 0; i < r.num_reactants; ++i) ydot[r.reactants[i]] -= v;
    for (int i = 0; i < r.num_products; ++i) ydot[r.products[i]] += v;
  }
}

void HandwrittenRhs::flux_magnitude(const double* y, double* out) const {
  prepare(y);
  std::fill(out, out + num_species_, 0.0);
  for (const ReactionSpec& r : reactions_) {
    const double v = std::abs(rate(r));
    for (int i = 0; i < r.num_reactants; ++i) out[r.reactants[i]] += v;
    for (int i = 0; i < r.num_products; ++i) out[r.products[i]] += v;
  }
}

}  // namespace bench
