// logical_ir.hpp — a logical (SBML qual) model as plain, index-based data.
//
// sbml/qual_from_sbml.cpp builds it from a document with the qual package; logical/ runs it. No
// string appears on the simulation path: a function term's condition is a postfix program over
// species indices and constants (an input's id in the math is its threshold level, folded in as a
// constant when the program is built).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace axisim::detail {

struct QualSpecies {
  std::string id, name;
  int initial_level = 0;
  int max_level = -1;  // -1: the document gives no maximum
  bool constant = false;
};

// One instruction of a condition. Operands are popped in order; n-ary operators take `arity`.
struct LogicalOp {
  enum class Code : std::uint8_t {
    Const,   // push value
    Level,   // push the level of species `index`
    Not, Neg,
    And, Or, Xor, Plus, Times,  // n-ary (arity operands)
    Minus, Divide,              // binary
    Eq, Neq, Lt, Leq, Gt, Geq,  // chains of arity operands (a < b < c), as MathML's relations
  };
  Code code = Code::Const;
  std::uint32_t arity = 0;
  std::size_t index = 0;
  double value = 0.0;
};

struct LogicalTerm {
  int result_level = 0;
  std::vector<LogicalOp> condition;  // true when it leaves a non-zero value
};

// A transition: the first function term (document order) whose condition holds gives the level
// its outputs take; none holding, the default term's.
struct LogicalTransition {
  std::string id;                   // for messages ("" when the document gives none)
  std::vector<std::size_t> outputs; // species indices (assignmentLevel)
  std::vector<LogicalTerm> terms;
  int default_level = 0;
  std::size_t max_stack = 0;        // deepest stack any term's condition needs
};

struct LogicalIR {
  std::string source;  // file name or "<string>", for messages
  std::string model_id;
  std::vector<QualSpecies> species;          // document order
  std::vector<LogicalTransition> transitions;
  std::vector<long> transition_of;           // per species: its transition, -1 for none (it keeps its level)
};

}  // namespace axisim::detail
