"""Audit item 8: operation references are scoped to the shop, with idempotency-key semantics.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""
