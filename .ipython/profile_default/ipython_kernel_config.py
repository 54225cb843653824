# Project-local kernel settings, found through IPYTHONDIR (exported by the Makefile and set by
# scripts/refresh_notebooks.py). ipykernel 7 logs a warning about unencrypted TCP at every start;
# the kernels here only ever talk to their runner on 127.0.0.1, so only errors are logged. No
# history database is written into the repository.
c.IPKernelApp.log_level = "ERROR"  # noqa: F821 - `c` is provided by the config loader
c.HistoryManager.enabled = False  # noqa: F821
