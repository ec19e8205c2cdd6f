"""A function run in a worker process by tests/test_limits.py: kept apart
from the test modules so that the worker imports nothing else to run it."""
import sys


def loaded_modules(queue, names: tuple[str, ...]) -> None:
    queue.put(sorted(name for name in names if name in sys.modules))
