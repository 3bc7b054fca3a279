"""jixiao (绩效): a terminal assistant for budget performance evaluation reports."""

__version__ = "0.1.0"
