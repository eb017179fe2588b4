"""The allocator thresholds set for encoding."""

import platform

from haven_link._memory import keep_freed_memory


def test_thresholds_set_where_the_c_library_is_glibc() -> None:
    glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert keep_freed_memory() is glibc
    assert keep_freed_memory() is glibc  # once per process, the same answer after
