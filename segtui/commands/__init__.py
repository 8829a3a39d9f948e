"""The subcommands of `segtui`, one module per group."""
