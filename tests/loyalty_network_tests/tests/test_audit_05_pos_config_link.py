"""Audit item 5: a plain POS user cannot relink a till to another shop or plan.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""
