"""Audit item 11: history cannot be rewritten by deleting merchants, plans or cards.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""
