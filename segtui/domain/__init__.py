"""Operations on segtui's data as plain functions, shared by the TUI and the CLI.

Nothing here imports Textual. Every write runs in one transaction.
"""
