"""dc-designer: floor plans, power and cooling chains for AI data centers."""

import os

# One BLAS thread (unless the user asks otherwise): the analysis' dense products are small (racks x
# 24 hours), and on a two-core machine OpenBLAS's second thread spins against the GUI thread; with
# two threads the 50,000-rack re-analysis and sweep took over twice the CPU time and more wall time.
# Set before numpy is first imported (numpy reads it when it loads OpenBLAS).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
