"""The screens and dialogs of the TUI."""
