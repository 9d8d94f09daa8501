import OrderPaymentValidation from "@point_of_sale/app/utils/order_payment_validation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(OrderPaymentValidation.prototype, {
    async isOrderValid(isForceValidate) {
        // The wallet's threshold and balance are the server's to check, at sync.
        const paysWithWallet = this.order.payment_ids.some(
            (p) => p.payment_method_id.is_loyalty_wallet && p.amount
        );
        if (paysWithWallet && !this.pos.loyaltyCardOf(this.order)) {
            this.pos.dialog.add(AlertDialog, {
                title: _t("Loyalty wallet"),
                body: _t("Scan the holder's card to pay with the loyalty wallet."),
            });
            return false;
        }
        return super.isOrderValid(...arguments);
    },
});
