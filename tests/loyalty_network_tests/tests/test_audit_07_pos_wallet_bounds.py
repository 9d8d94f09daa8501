"""Audit item 7: POS wallet payments are bounded by the order total and the balance.

Part of the security catalogue (see tests/SECURITY.md): each test attacks
through the entry point a real attacker uses and asserts the refusal and an
unchanged database.
"""
