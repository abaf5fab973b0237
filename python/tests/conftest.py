"""Shared fixtures of the Python module's tests (run by ctest's python_module test, which sets
PYTHONPATH to the build tree's package and AXISIM_CLI to the CLI built with it)."""
import os
import pathlib
import subprocess

import pytest

SOURCE = pathlib.Path(os.environ.get("AXISIM_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
MODELS = SOURCE / "sbml-models"
FLAGSHIP = MODELS / "gut_liver_igf1.xml"
ENZYME = MODELS / "examples" / "enzyme_kinetics.xml"
SUITE = pathlib.Path(os.environ.get("AXISIM_SBML_TEST_SUITE_DIR", SOURCE.parent / "shared" / "sbml-test-suite"))
FOUR_PLUGINS = ["bone", "muscle", "metabolic", "gut-barrier"]


def sbml_model(model_id, body):
    """An SBML L3V2 document: model `model_id` with compartment c (size 1), then `body` (its
    species, parameters and reactions, indented four spaces) and the closing tags."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="{model_id}">
    <listOfCompartments><compartment id="c" size="1" constant="true"/></listOfCompartments>
{body}  </model>
</sbml>
"""


# A small model (one reversible reaction, an exact solution) for the tests that load many times.
TINY = sbml_model("tiny", """    <listOfSpecies>
      <species id="A" compartment="c" initialAmount="1" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
      <species id="B" compartment="c" initialAmount="0" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters><parameter id="k" value="0.5" constant="true"/></listOfParameters>
    <listOfReactions>
      <reaction id="R" reversible="false">
        <listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/></listOfReactants>
        <listOfProducts><speciesReference species="B" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>A</ci></apply></math></kineticLaw>
      </reaction>
    </listOfReactions>
""")


def cli_path():
    path = os.environ.get("AXISIM_CLI")
    if path and os.path.exists(path):
        return path
    candidate = SOURCE / "build" / "cli" / "axisim"
    if candidate.exists():
        return str(candidate)
    pytest.skip("the axisim CLI was not found (set AXISIM_CLI)")


def run_cli(*args, **kwargs):
    """Runs the CLI; returns its stdout (raises with its stderr on failure)."""
    proc = subprocess.run([cli_path(), *map(str, args)], capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise AssertionError(f"axisim {' '.join(map(str, args))} failed ({proc.returncode}): {proc.stderr}")
    return proc.stdout


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def suite_dir():
    if not (SUITE / "cases").is_dir():
        if os.environ.get("AXISIM_REQUIRE_SBML_TEST_SUITE"):
            pytest.fail(f"the SBML Test Suite is required but was not found at {SUITE}")
        pytest.skip(f"SKIPPED: the SBML Test Suite was not found at {SUITE} (set AXISIM_SBML_TEST_SUITE_DIR)")
    return SUITE
