"""A cheap Argon2 for test runs only: the same algorithm and hash format as production, with
memory and time costs low enough that hundreds of test users do not take minutes."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1
