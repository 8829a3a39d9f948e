"""The Textual user interface, a thin front end over ``segtui.domain``."""
