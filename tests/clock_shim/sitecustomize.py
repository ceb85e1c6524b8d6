"""Loaded by Python subprocesses of the tests (through PYTHONPATH): moves this process's
clock by the test clock's offset, so a tap, Meltano or target run from a test sees the same
"now" as the test that started it. Does nothing without the variable."""

import os

_offset = os.environ.get("TAP_TEST_CLOCK_OFFSET")
if _offset and float(_offset):
    import time

    import time_machine

    time_machine.travel(time.time() + float(_offset), tick=True).start()
