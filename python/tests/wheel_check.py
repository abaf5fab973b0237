"""Run by wheel_test.sh (ctest python_wheel) from a temporary folder, with only the folder the
wheel was installed into on PYTHONPATH: the installed package works outside the build tree.

    wheel_check.py SITE WHEEL SOURCE_DIR CLI
"""
import os
import pathlib
import subprocess
import sys
import zipfile

site, wheel, source, cli = (pathlib.Path(p).resolve() for p in sys.argv[1:5])
PLUGINS = ["bone", "bone-linear", "muscle", "metabolic", "gut-barrier"]

# What the wheel holds: the package, its stubs, the extension and the five tissue plugins.
names = set(zipfile.ZipFile(wheel).namelist())
expected = {f"axisim/{f}" for f in ("__init__.py", "__init__.pyi", "_axisim.pyi", "_batch.py", "_batch.pyi",
                                    "_results.py", "py.typed")}
expected |= {f"axisim/plugins/axisim-plugin-{p}.so" for p in PLUGINS}
missing = expected - names
assert not missing, f"the wheel lacks {sorted(missing)}"
assert any(n.startswith("axisim/_axisim.") and n.endswith(".so") for n in names), "the wheel lacks the extension"

import axisim  # noqa: E402

package = pathlib.Path(axisim.__file__).resolve().parent
assert package == site / "axisim", f"axisim imported from {package}, not from the installed wheel in {site}"
assert pathlib.Path(axisim._axisim.__file__).resolve().parent == package

# The plugins are the wheel's: found first on the plugin path (AXISIM_PLUGIN_PATH is unset).
assert pathlib.Path(axisim.plugin_path()[0]).resolve() == package / "plugins", axisim.plugin_path()
found = {p.name: pathlib.Path(p.path).resolve().parent for p in axisim.plugins()}
for p in PLUGINS:
    assert found.get(p) == package / "plugins", f"plugin {p} found in {found.get(p)}, not in the wheel"

# A simulation with a plugin, the same text as the CLI's for the same settings.
model = source / "sbml-models" / "gut_liver_igf1.xml"
m = axisim.load(str(model))
m.attach("bone", a_IGF=0.2)
r = m.simulate(0, 240, steps=24, selections=["IGF1_total", "bone.BMD_change_pct"])
assert r.error == "", r.error
expected_csv = subprocess.run(
    [str(cli), "simulate", str(model), "--end", "240", "--steps", "24", "--plugin", "bone",
     "--plugin-param", "bone.a_IGF=0.2", "--select", "IGF1_total,bone.BMD_change_pct"],
    check=True, capture_output=True, text=True).stdout
assert r.csv() == expected_csv, "the installed module's result differs from the CLI's"
print(f"wheel {wheel.name}: {len(names)} files; imported from {package}; plugins from {package / 'plugins'}; "
      f"result equal to the CLI's ({len(r)} rows)")
