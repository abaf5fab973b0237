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
 *                                 -INFINITY / INFINITY for an open side.
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

/* A version 2 description: version 1's fields first, in the same order. */
typedef struct axisim_plugin_info_v2 {
  axisim_plugin_info v1;                    /* with abi_version = 2 */
  axisim_connect_fn connect;                /* may be NULL */
  axisim_init_fn init;                      /* may be NULL */
  const axisim_plugin_range* state_ranges;  /* num_states entries, or NULL */
  const axisim_plugin_range* effect_ranges; /* num_effects entries, or NULL */
} axisim_plugin_info_v2;

typedef const axisim_plugin_info_v2* (*axisim_plugin_entry_v2_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* AXISIM_PLUGIN_SDK_H */
