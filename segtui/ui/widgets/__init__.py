"""segtui's own widgets."""
