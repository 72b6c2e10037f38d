"""The extraction package stands alone: no web framework is imported by it, directly or not."""

import ast
import subprocess
import sys
from pathlib import Path

import dondoc

PACKAGE = Path(dondoc.__file__).parent / "extract"


def test_no_module_of_the_extraction_package_imports_django():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in {"django", "rest_framework"}]
    assert offenders == []


def test_extracting_loads_no_django_module():
    code = (
        "import sys; from dondoc.extract import extract_text;"
        "extract_text('Sở Y tế chủ trì rà soát danh mục thuốc trước ngày 30/6/2026.');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
