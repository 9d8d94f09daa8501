"""Audit item 10: messages and fields leak nothing of other cards or shops.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""
