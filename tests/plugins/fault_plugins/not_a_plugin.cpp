// not_a_plugin.cpp — a shared library named like a plugin that exports no axisim_plugin_entry:
// loading it must fail with a message, not a crash.
extern "C" __attribute__((visibility("default"))) int axisim_test_not_a_plugin(void) { return 7; }
