"""`pip install ./python` or `pip wheel ./python` without the network (docs/python.md):

    /usr/bin/python3 -m pip wheel --no-build-isolation --no-deps ./python -w dist
    /usr/bin/python3 -m pip install --no-build-isolation --no-deps ./python

--no-build-isolation uses Debian's setuptools and wheel (python3-setuptools, python3-wheel)
instead of downloading them. The extension and the tissue plugins are built by the project's
CMake build, in AXISIM_BUILD_DIR (an existing build folder: only their targets are built there)
or else in build-wheel/ beside python/ (configured without tests and benchmarks). The wheel holds
the package, the extension and the plugins (axisim/plugins/, found there first after
AXISIM_PLUGIN_PATH); the extension links the Debian libraries the build used (libSBML,
SUNDIALS, KLU, GLPK, spdlog, fmt, toml++, Boost.Filesystem), which must be installed where the
wheel is used.
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
PLUGINS = ["bone", "bone-linear", "muscle", "metabolic", "gut-barrier"]  # plugins/CMakeLists.txt


def project_version():
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(axisim VERSION ([0-9.]+)", text).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        given = os.environ.get("AXISIM_BUILD_DIR")
        if given and not os.path.isabs(given):  # pip runs this file in python/: a relative path would mislead
            raise RuntimeError(f"AXISIM_BUILD_DIR must be an absolute path, got '{given}'")
        build = pathlib.Path(given) if given else ROOT / "build-wheel"
        if not (build / "CMakeCache.txt").exists():
            subprocess.check_call(["cmake", "-S", str(ROOT), "-B", str(build), "-G", "Ninja",
                                   "-DCMAKE_BUILD_TYPE=Release", f"-DPython3_EXECUTABLE={sys.executable}",
                                   "-DAXISIM_BUILD_TESTS=OFF", "-DAXISIM_BUILD_BENCH=OFF"])
        targets = ["axisim_python"] + [f"axisim_plugin_{p.replace('-', '_')}" for p in PLUGINS]
        subprocess.check_call(["cmake", "--build", str(build), "--target", *targets])
        name = pathlib.Path(self.get_ext_filename(ext.name)).name
        built = build / "python" / "axisim" / name
        if not built.exists():
            raise RuntimeError(f"the CMake build did not produce {built} (was it configured for {sys.executable}?)")
        dest = pathlib.Path(self.get_ext_fullpath(ext.name))
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, dest)
        # The tissue plugins, beside the extension: axisim/plugins/axisim-plugin-<name>.so.
        plugins = dest.parent / "plugins"
        plugins.mkdir(exist_ok=True)
        for p in PLUGINS:
            shutil.copy2(build / "plugins" / f"axisim-plugin-{p}.so", plugins)


setup(
    name="axisim",
    version=project_version(),
    description="SBML models simulated by axisim's C++ runtime, from Python",
    packages=["axisim"],
    package_data={"axisim": ["*.pyi", "py.typed"]},
    ext_modules=[Extension("axisim._axisim", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    python_requires=">=3.9",
    install_requires=["numpy"],
    zip_safe=False,
)
