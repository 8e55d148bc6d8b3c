"""The gazetteer build's forked parts (etl/data/build_gazetteer.py, `_in_parts`): a part that
stops the build, or a process that dies, ends the build instead of leaving it waiting."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

# run in a child interpreter with a deadline: the failure guarded against is a build that waits
# forever for a part's result
_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from etl.data import build_gazetteer as b
    b.BUILD_PARTS = 2

    def work(context, start, stop):
        if start == 0:
            {action}
        return list(range(start, stop))

    try:
        print(b._in_parts(work, (), 4))
    except SystemExit as stop:
        print("stopped:", stop.code)
        sys.exit(3)
""")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the parts are forked")
@pytest.mark.parametrize("action, said", [
    # the build's own stop (wordfreq disagreeing with its check) raised in a part
    ("raise SystemExit('wordfreq disagrees')", "wordfreq disagrees"),
    ("raise ValueError('bad row')", "bad row"),
    # a part killed from outside (the out-of-memory killer)
    ("os.kill(os.getpid(), signal.SIGKILL)", ""),
])
def test_a_failed_part_ends_the_build_with_an_error(action, said):
    code = _SCRIPT.replace("{action}", action)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert done.returncode != 0
    assert said in done.stdout + done.stderr


def _numbers(context, start, stop):
    return [context, *range(start, stop)]


def test_the_parts_come_back_in_order():
    from etl.data import build_gazetteer as b
    parts = b._in_parts(_numbers, ("x",), 7)
    assert len(parts) == b.BUILD_PARTS
    assert [n for part in parts for n in part[1:]] == list(range(7))
    assert all(part[0] == ("x",) for part in parts)
