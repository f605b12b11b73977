"""`./dev test` runs the tests sharing a module's fixture on one worker.

pytest-xdist's ``--dist loadgroup`` groups a test by adding ``@group`` to its
node id. A pytest whose node ids xdist cannot change (9.2 with xdist 3.8)
leaves every group spread over the workers without a word: each worker then
builds every module's site itself, and the suite takes minutes longer. So
the pytest in requirements-dev.txt is one xdist can group with, and this
test fails when that stops being true."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def made_once():
    return object()  # stands for a site built once for the module


def test_tests_sharing_a_module_fixture_are_grouped(made_once, request):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not run by `./dev test` (pytest-xdist, --dist loadgroup)")
    assert request.node.nodeid.endswith(f"@{request.module.__name__}"), (
        "pytest-xdist's --dist loadgroup did not group this test: install the"
        " pytest that requirements-dev.txt names"
    )
