"""Audit item 6: a POS refund reverses only its own shop's entries.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""
