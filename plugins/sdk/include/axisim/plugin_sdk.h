/* axisim/plugin_sdk.h — the axisim tissue-plugin ABI, version 2 (version 1 plugins still load).
 *
 * A plugin is a shared library exporting one C function,
 *
 *     const axisim_plugin_info* axisim_plugin_entry(void);
 *
 * that returns a description of the plugin, valid for the library's lifetime. Only C types
 * cross the boundary: plain structs, const char*, double arrays and function pointers, so a
 * plugin built with another compiler or standard library works, and no exception may leave a
 * plugin function (return a non-zero status instead; axisim/plugin.hpp has a guard for C++).
 *
 * What a plugin declares
 *   inputs      SBML ids it reads (species, parameters, compartments, assignment-rule
 *               variables). Bound to the model once, when the plugin is attached; a species is
 *               read as the model's math sees it (its concentration unless hasOnlySubstanceUnits).
 *   parameters  its own constants, with defaults and units, settable by the user.
 *   states      its own state variables, integrated by CVODE together with the model.
 *   outputs     observables reported next to the model's columns as "<plugin>.<output>".
 *   effects     optional effects on the model:
 *               AXISIM_EFFECT_FLUX      a rate added to a species (amount per time), computed
 *                                       with the derivatives;
 *               AXISIM_EFFECT_PARAMETER the value of a model parameter, which the plugin then
 *                                       drives; computed from the plugin's own states and
 *                                       parameters only, before the model's rules run.
 *
 * How axisim calls it (inside the right-hand side; never allocate, keep no state between
 * calls: every array is owned by the caller, so one library serves many simulations on many
 * threads at once)
 *   drive(t, params, states, effects)             fills the PARAMETER effects (may be NULL when
 *                                                 the plugin has none)
 *   derivatives(t, inputs, params, states, dstates, effects)
 *                                                 fills d(states)/dt and the FLUX effects
 *   observe(t, inputs, params, states, outputs)   fills the outputs (at output times)
 * Each returns 0 on success; anything else stops the run with the plugin named. Arrays are in
 * declaration order; `effects` has one slot per declared effect (a function fills only the slots
 * of its kind).
 *
 * Version 2: a plugin also exports
 *
 *     const axisim_plugin_info_v2* axisim_plugin_entry_v2(void);
 *
 * returning a description that holds version 1's (with abi_version = 2) and adds, each may be
 * NULL (a library without this entry point is a version 1 plugin; its description has no room
 * for them, whatever its abi_version says; axisim/plugin.hpp's AXISIM_PLUGIN defines both entry
 * points):
 *   connect(host)                 called once when the library is loaded: keep `host` (valid for
 *                                 the library's lifetime) to write to axisim's log with
 *                                 host->log(host, AXISIM_LOG_WARN, "message") from any function,
 *                                 on any thread (the message is prefixed with the plugin's name)
 *   init(inputs, params, states)  called at the start of every run, after the model's initial
 *                                 values are computed: `states` holds the declared initial values
 *                                 (or the user's, set with --set PLUGIN.STATE=V); overwrite the
 *                                 ones that depend on parameters or inputs (a user-set state is
 *                                 kept whatever init writes)
 *   state_ranges, effect_ranges   the meaningful range [min, max] of each state and of each
 *                                 effect (used for PARAMETER effects: the driven value): a value
 *                                 outside stops the run naming the plugin, the state or
 *                                 parameter, the value and the range. NULL: no ranges; use
 *                                 -INFINITY / INFINITY for an open side. Checked at every output
 *                                 time of a run and at every solution of a steady-state analysis.
 *
 * Version 2, appended fields (part of version 2 as of this change; version 2 had not been
 * released outside axisim's own repository). They follow effect_ranges at the end of
 * axisim_plugin_info_v2. A description built before them is shorter, and nothing in it says so
 * (its first field is version 1's, and version 1's layout is fixed), so the length is told by one
 * more exported function:
 *
 *     uint32_t axisim_plugin_info_v2_size(void);   returns sizeof(axisim_plugin_info_v2)
 *                                                  as the plugin was compiled
 *
 * axisim reads an appended field only when the size covers it; a library without this function
 * has none of them (it is read as far as effect_ranges). AXISIM_PLUGIN (axisim/plugin.hpp)
 * defines it; a plugin in plain C defines it itself. Fields appended later will be told the
 * same way, so a plugin compiled against an older header keeps loading. Each may be NULL / 0:
 *
 *   input_units, effect_units     num_inputs / num_effects unit strings, each an SBML unit
 *                                 expression: a unit kind or unit definition id of the model
 *                                 ("mole", "hour", "nM"), or products and quotients of them with
 *                                 integer powers ("mmol/l", "mole/(litre*hour)", "1/s", "m^2";
 *                                 "1" or "dimensionless" for none). Checked when the plugin is
 *                                 attached, against the model's units of the input (what the model's
 *                                 math reads: a species' concentration unless hasOnlySubstanceUnits)
 *                                 and of the effect (a PARAMETER effect: the parameter's units; a
 *                                 FLUX effect: the species' substance units per time unit), both
 *                                 reduced to SI base units with libSBML's unit machinery: they must
 *                                 be the same, scale included ("mmol/l" is "mM", "M" is not: the
 *                                 plugin would read numbers 1000 times off); a mismatch stops the
 *                                 attach naming the plugin, the input or effect, the declared and
 *                                 the model's units. Names: SBML unit kinds, mol, l, L, s, min, h,
 *                                 hour, day, g, m, M (molar), each with an optional SI prefix
 *                                 (p, n, u, m, c, d, k), not the model's unit definition ids (a
 *                                 plugin serves any model). An entry NULL or "" is not checked
 *                                 (undeclared); nor is an id whose units the model does not
 *                                 declare (said at debug level): no units, no check.
 *   drive_v2(t, inputs, params, states, effects)
 *                                 used instead of drive when set: drive with the inputs. drive runs
 *                                 before the model's rules (the parameters it drives go into them),
 *                                 so an input drive reads must not depend on a parameter any
 *                                 attached plugin drives: such an input is refused when the plugin
 *                                 is attached (a cycle, named). Which inputs drive reads is
 *                                 drive_inputs[i] != 0 (NULL: all); the others hold NaN in drive.
 *   jacobian(t, inputs, params, states, J)
 *                                 J[i * num_states + j] = d dstates[i] / d states[j] (row-major,
 *                                 num_states squared, every entry to be written): used by the
 *                                 engine's Jacobian for those entries instead of difference
 *                                 quotients. Entries in other rows (fluxes, parameters driven) and
 *                                 the derivatives in the inputs are still difference quotients.
 *   num_roots, roots(t, inputs, params, states, g)
 *                                 num_roots root functions: the integrator stops where a g[i]
 *                                 crosses zero (as it does for SBML events) and calls
 *   on_root(t, fired, inputs, params, states)
 *                                 (may be NULL) with fired[i] = +1 (g[i] rose through zero), -1
 *                                 (fell) or 0; it may change `states` (a jump: integration restarts
 *                                 from them). roots and on_root are called in runs only; a steady
 *                                 state is refused for plugins with roots. roots is called often
 *                                 (every step CVODE checks): no allocation, as in derivatives.
 */
#ifndef AXISIM_PLUGIN_SDK_H
#define AXISIM_PLUGIN_SDK_H

#include <stdint.h>

#define AXISIM_PLUGIN_ABI_VERSION 2u
/* The oldest version this SDK's host still loads. */
#define AXISIM_PLUGIN_ABI_VERSION_OLDEST 1u
#define AXISIM_PLUGIN_ENTRY_NAME "axisim_plugin_entry"
#define AXISIM_PLUGIN_ENTRY_V2_NAME "axisim_plugin_entry_v2"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct axisim_plugin_input {
  const char* sbml_id;
  const char* description;
} axisim_plugin_input;

typedef struct axisim_plugin_quantity {
  const char* name;        /* parameter, state or output name: letters, digits, '_' */
  double value;            /* default (parameters) or initial value (states); unused for outputs */
  const char* units;
  const char* description;
} axisim_plugin_quantity;

typedef enum axisim_effect_kind { AXISIM_EFFECT_FLUX = 1, AXISIM_EFFECT_PARAMETER = 2 } axisim_effect_kind;

typedef struct axisim_plugin_effect {
  const char* sbml_id;     /* the species (FLUX) or parameter (PARAMETER) affected */
  uint32_t kind;           /* an axisim_effect_kind */
  const char* description;
} axisim_plugin_effect;

typedef int (*axisim_drive_fn)(double t, const double* params, const double* states, double* effects);
typedef int (*axisim_derivatives_fn)(double t, const double* inputs, const double* params, const double* states,
                                     double* dstates, double* effects);
typedef int (*axisim_observe_fn)(double t, const double* inputs, const double* params, const double* states,
                                 double* outputs);

typedef struct axisim_plugin_info {
  uint32_t abi_version; /* AXISIM_PLUGIN_ABI_VERSION the plugin was built with */
  const char* name;
  const char* version;
  const char* description;
  const axisim_plugin_input* inputs;
  uint32_t num_inputs;
  const axisim_plugin_quantity* parameters;
  uint32_t num_parameters;
  const axisim_plugin_quantity* states;
  uint32_t num_states;
  const axisim_plugin_quantity* outputs;
  uint32_t num_outputs;
  const axisim_plugin_effect* effects;
  uint32_t num_effects;
  axisim_drive_fn drive;             /* may be NULL */
  axisim_derivatives_fn derivatives; /* may be NULL when num_states == 0 and no FLUX effect */
  axisim_observe_fn observe;         /* may be NULL when num_outputs == 0 */
} axisim_plugin_info;

typedef const axisim_plugin_info* (*axisim_plugin_entry_fn)(void);

/* ---- version 2 ---- */

typedef enum axisim_log_level {
  AXISIM_LOG_DEBUG = 1,
  AXISIM_LOG_INFO = 2,
  AXISIM_LOG_WARN = 3,
  AXISIM_LOG_ERROR = 4
} axisim_log_level;

/* What axisim passes to connect(): its ABI version and its log. */
typedef struct axisim_host {
  uint32_t abi_version;
  void (*log)(const struct axisim_host* host, int level, const char* message);
  void* context; /* axisim's; do not touch */
} axisim_host;

typedef struct axisim_plugin_range {
  double min;
  double max;
} axisim_plugin_range;

typedef int (*axisim_connect_fn)(const axisim_host* host);
typedef int (*axisim_init_fn)(const double* inputs, const double* params, double* states);
typedef int (*axisim_drive_v2_fn)(double t, const double* inputs, const double* params, const double* states,
                                  double* effects);
typedef int (*axisim_jacobian_fn)(double t, const double* inputs, const double* params, const double* states,
                                  double* jacobian);
typedef int (*axisim_roots_fn)(double t, const double* inputs, const double* params, const double* states, double* g);
typedef int (*axisim_on_root_fn)(double t, const int32_t* fired, const double* inputs, const double* params,
                                 double* states);

/* A version 2 description: version 1's fields first, in the same order. */
typedef struct axisim_plugin_info_v2 {
  axisim_plugin_info v1;                    /* with abi_version = 2 */
  axisim_connect_fn connect;                /* may be NULL */
  axisim_init_fn init;                      /* may be NULL */
  const axisim_plugin_range* state_ranges;  /* num_states entries, or NULL */
  const axisim_plugin_range* effect_ranges; /* num_effects entries, or NULL */
  /* Appended (see above): read only as far as axisim_plugin_info_v2_size() says. */
  const char* const* input_units;           /* num_inputs entries, or NULL */
  const char* const* effect_units;          /* num_effects entries, or NULL */
  axisim_drive_v2_fn drive_v2;              /* may be NULL; replaces drive when set */
  const uint8_t* drive_inputs;              /* num_inputs flags: drive_v2 reads it; NULL: all */
  axisim_jacobian_fn jacobian;              /* may be NULL */
  uint32_t num_roots;
  axisim_roots_fn roots;                    /* set when num_roots > 0 */
  axisim_on_root_fn on_root;                /* may be NULL */
} axisim_plugin_info_v2;

typedef const axisim_plugin_info_v2* (*axisim_plugin_entry_v2_fn)(void);
#define AXISIM_PLUGIN_INFO_V2_SIZE_NAME "axisim_plugin_info_v2_size"
typedef uint32_t (*axisim_plugin_info_v2_size_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* AXISIM_PLUGIN_SDK_H */
