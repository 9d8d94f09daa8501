import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";
import { TextInputPopup } from "@point_of_sale/app/components/popups/text_input_popup/text_input_popup";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

patch(PaymentScreen.prototype, {
    /**
     * The gift voucher method asks for the voucher's code, checks it on the
     * server and proposes what it can pay (at most its balance and what is
     * due). The payment is taken from the voucher when the order syncs. A
     * refund paid back with this method gives the value back to the vouchers
     * of the refunded order: no code is asked.
     */
    async addNewPaymentLine(paymentMethod) {
        if (!paymentMethod.is_loyalty_voucher || this.isRefundOrder) {
            return super.addNewPaymentLine(...arguments);
        }
        const code = await makeAwaitable(this.dialog, TextInputPopup, {
            title: _t("Gift voucher code"),
            placeholder: _t("Scan or type the code"),
        });
        if (!code) {
            return false;
        }
        let voucher;
        try {
            voucher = await this.pos.data.call("pos.config", "loyalty_voucher_check", [
                this.pos.config.id,
                code,
            ]);
        } catch (error) {
            this.dialog.add(AlertDialog, {
                title: _t("Gift voucher"),
                body: error.data?.message || _t("The voucher could not be checked: are we online?"),
            });
            return false;
        }
        const order = this.currentOrder;
        const due = order.remainingDue;
        const amount = order.currency.round(Math.min(voucher.balance, due));
        if (amount <= 0) {
            return false;
        }
        const added = await super.addNewPaymentLine(...arguments);
        if (added) {
            const line = this.paymentLines.at(-1);
            line.loyalty_voucher_code = voucher.code;
            line.setAmount(amount);
            this.numberBuffer.set(amount.toString());
        }
        return added;
    },
});
