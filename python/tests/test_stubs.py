"""The type stubs (.pyi) describe the module as it is: every class, function, method and
attribute they declare exists at run time, and every public name of the package is declared."""
import ast
import pathlib

import axisim

PACKAGE = pathlib.Path(axisim.__file__).parent


def declared(path):
    tree = ast.parse(path.read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            members = set()
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    members.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    members.add(item.target.id)
            out[node.name] = members
        elif isinstance(node, ast.FunctionDef):
            out[node.name] = None
    return out


def test_the_extension_stub_matches_the_module():
    for name, members in declared(PACKAGE / "_axisim.pyi").items():
        obj = getattr(axisim._axisim, name)
        for member in members or ():
            assert hasattr(obj, member), f"{name}.{member} is in _axisim.pyi but not in the module"


def test_every_public_name_is_in_the_package_stub():
    stub = (PACKAGE / "__init__.pyi").read_text()
    for name in axisim.__all__:
        assert name in stub, f"{name} is public but not in __init__.pyi"
    for name in declared(PACKAGE / "__init__.pyi"):
        assert hasattr(axisim, name)
