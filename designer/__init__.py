"""dc-designer: floor plans, power and cooling chains for AI data centers."""

__version__ = "0.1.0"
