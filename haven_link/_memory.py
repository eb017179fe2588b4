"""Freed memory kept for reuse, where the C library is glibc.

Encoding makes many numpy arrays of a few hundred kilobytes per batch and frees them.
glibc hands blocks of that size back to the kernel as soon as they are freed (``mmap``
above a threshold, and the top of the heap trimmed), so the next batch's arrays came
back as fresh pages that the kernel zeroes at first touch: for FEBRL4 (2 x 5,000
records) about 4,500 page faults and a seventh of the encoding time. Raised thresholds
keep such blocks in the heap for the next batch. The cost: up to ``TRIM_THRESHOLD`` of
freed memory stays with the process instead of going back to the system.
"""

from __future__ import annotations

import ctypes
import platform
from functools import lru_cache

# mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Blocks below this come from the heap: a batch's arrays are well below it.
MMAP_THRESHOLD = 4 << 20
# Free memory at the top of the heap beyond this goes back to the system.
TRIM_THRESHOLD = 32 << 20


@lru_cache(maxsize=1)
def keep_freed_memory() -> bool:
    """Raise glibc's thresholds (once per process); whether they could be set."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # Setting either turns off glibc's own tuning of both, which lowered them again.
    trimmed = mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
    return mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and trimmed
