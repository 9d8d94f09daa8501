import hashlib

from odoo import models
from odoo.http import request
from odoo.tools import SQL

from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT

from ..services.api_registry import API_PREFIX

API_SCOPE = "loyalty_api"
# Keys already verified against their stored hash (sha256 of both -> True): the
# key row is still read on every request (a revoked or expired key is refused
# at once); only the deliberately slow hash check is not redone.
_VERIFIED = {}
_VERIFIED_MAX = 4096


class ResUsersApikeys(models.Model):
    _inherit = "res.users.apikeys"

    def _check_credentials(self, *, scope, key):
        """On the till API, accept only the keys made for it (scope ``loyalty_api``).

        Odoo's ``auth="bearer"`` asks for an ``rpc`` key; a till key is refused
        everywhere else (XML-RPC, JSON-2), and a user's global key is refused
        here. One query reads the key, its shop and its user; the result is
        kept on the request for the controller.
        """
        if not (request and scope == "rpc" and request.httprequest.path.startswith(API_PREFIX)):
            return super()._check_credentials(scope=scope, key=key)
        self.env.cr.execute(
            SQL(
                """
                SELECT k.id, k.user_id, k.key, lk.id, lk.merchant_id, u.share, p.lang,
                       EXISTS(SELECT 1 FROM loyalty_network_merchant_res_users_rel r
                               WHERE r.user_id = k.user_id AND r.merchant_id = lk.merchant_id)
                  FROM res_users_apikeys k
                  JOIN res_users u ON u.id = k.user_id
                  JOIN res_partner p ON p.id = u.partner_id
             LEFT JOIN loyalty_api_key lk ON lk.apikey_id = k.id AND lk.active
                 WHERE u.active AND k.index = %s AND k.scope = %s
                   AND (k.expiration_date IS NULL
                        OR k.expiration_date >= now() AT TIME ZONE 'utc')
                """,
                key[:INDEX_SIZE],
                API_SCOPE,
            )
        )
        for (
            _id,
            user_id,
            hashed,
            api_key_id,
            merchant_id,
            share,
            lang,
            linked,
        ) in self.env.cr.fetchall():
            if _verify(key, hashed):
                request.loyalty_api_key = {
                    "key_id": api_key_id,
                    "merchant_id": merchant_id if linked else None,
                    "share": share,
                    "lang": lang,
                }
                return user_id
        return None


def _verify(key, hashed):
    digest = hashlib.sha256(f"{key}\0{hashed}".encode()).hexdigest()
    if digest in _VERIFIED:
        return True
    if not KEY_CRYPT_CONTEXT.verify(key, hashed):
        return False
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[digest] = True
    return True
