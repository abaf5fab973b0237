// errors.cpp — axisim::Error as Python exceptions.
//
// Every axisim::Error becomes an instance of a subclass of axisim.Error chosen by its kind,
// carrying the library's message unchanged and the kind's name in `.kind` ("io", "invalid_sbml",
// "unsupported", "unknown_id", "solver", "usage", "plugin"). The subclasses also derive from the
// builtin a Python user would catch: OSError for Io, LookupError for UnknownId, ValueError for
// Usage and InvalidSbml.

#include "axisim/error.hpp"
#include "bindings.hpp"

namespace axisim::python {

namespace {

struct ErrorClass {
  ErrorKind kind;
  const char* name;       // the Python class
  const char* kind_name;  // its `.kind`
  PyObject* type = nullptr;
};

ErrorClass g_classes[] = {
    {ErrorKind::Io, "IoError", "io"},
    {ErrorKind::InvalidSbml, "InvalidSbmlError", "invalid_sbml"},
    {ErrorKind::Unsupported, "UnsupportedError", "unsupported"},
    {ErrorKind::UnknownId, "UnknownIdError", "unknown_id"},
    {ErrorKind::Solver, "SolverError", "solver"},
    {ErrorKind::Usage, "UsageError", "usage"},
    {ErrorKind::Plugin, "PluginError", "plugin"},
};
PyObject* g_base = nullptr;

void set_kind(PyObject* object, const char* kind) {
  PyObject* value = PyUnicode_FromString(kind);
  PyObject_SetAttrString(object, "kind", value);
  Py_XDECREF(value);
}

void raise(const ErrorClass& c, const char* message) {
  PyObject* exc = PyObject_CallFunction(c.type, "s", message);
  if (!exc) return;  // the call set its own exception
  set_kind(exc, c.kind_name);
  PyErr_SetObject(c.type, exc);
  Py_DECREF(exc);
}

}  // namespace

void bind_errors(py::module_& m) {
  g_base = PyErr_NewExceptionWithDoc("axisim.Error",
                                     "Any failure axisim reports. `.kind` names its category (axisim/error.hpp): "
                                     "io, invalid_sbml, unsupported, unknown_id, solver, usage, plugin; the message "
                                     "names the file, line, SBML id or plugin it is about.",
                                     PyExc_RuntimeError, nullptr);
  set_kind(g_base, "");
  m.add_object("Error", py::handle(g_base));
  for (ErrorClass& c : g_classes) {
    PyObject* extra = c.kind == ErrorKind::Io            ? PyExc_OSError
                      : c.kind == ErrorKind::UnknownId   ? PyExc_LookupError
                      : c.kind == ErrorKind::Usage       ? PyExc_ValueError
                      : c.kind == ErrorKind::InvalidSbml ? PyExc_ValueError
                                                         : nullptr;
    PyObject* bases = extra ? PyTuple_Pack(2, g_base, extra) : PyTuple_Pack(1, g_base);
    const std::string qualified = std::string("axisim.") + c.name;
    c.type = PyErr_NewException(qualified.c_str(), bases, nullptr);
    Py_DECREF(bases);
    set_kind(c.type, c.kind_name);
    m.add_object(c.name, py::handle(c.type));
  }
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      for (const ErrorClass& c : g_classes)
        if (c.kind == e.kind()) return raise(c, e.what());
      PyErr_SetString(g_base, e.what());
    }
  });
}

}  // namespace axisim::python
