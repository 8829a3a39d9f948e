"""segtui: segments, interactions and merged Word letters in the terminal."""

__version__ = "0.1.0"
