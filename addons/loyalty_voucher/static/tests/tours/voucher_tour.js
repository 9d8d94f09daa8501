import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

const CODE_KEY = "loyalty_voucher_tour_code";

/**
 * A shop assistant sells a 30.00 gift voucher at the counter screen, then the
 * customer spends it at the shop's point of sale: 30.00 with the voucher and
 * the rest in cash. The code read on the counter screen is typed at the till.
 */
registry.category("web_tour.tours").add("LoyaltyVoucherCounterToPosTour", {
    steps: () =>
        [
            {
                content: "type the voucher's value",
                trigger: ".o_loyalty_voucher_counter .o_loyalty_voucher_face_value",
                run: "edit 30",
            },
            {
                content: "sell it",
                trigger: ".o_loyalty_voucher_sell",
                run: "click",
            },
            {
                content: "the code of the voucher sold is shown",
                trigger: ".o_loyalty_voucher_sold:contains('30.00') .o_loyalty_voucher_sold_code",
                run() {
                    window.localStorage.setItem(
                        CODE_KEY,
                        this.anchor.textContent.replace(/\s/g, "")
                    );
                },
            },
            {
                content: "go to the shop's point of sale",
                trigger: ".o_loyalty_voucher_print",
                async run() {
                    const configs = await rpc("/web/dataset/call_kw/pos.config/search_read", {
                        model: "pos.config",
                        method: "search_read",
                        args: [[["loyalty_merchant_id", "!=", false]], ["id"]],
                        kwargs: { limit: 1 },
                    });
                    window.location.href = `/pos/ui?config_id=${configs[0].id}`;
                },
                expectUnloadPage: true,
            },
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.addOrderline("Voucher Basket", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Bon cadeau"),
            {
                content: "type the voucher's code",
                trigger: ".modal:not(.o_inactive_modal) textarea",
                async run(helpers) {
                    await helpers.edit(window.localStorage.getItem(CODE_KEY));
                },
            },
            Dialog.confirm("Apply"),
            PaymentScreen.selectedPaymentlineHas("Bon cadeau", "30.00"),
            PaymentScreen.remainingIs("20.00"),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            // Then a customer buys a 20.00 voucher at the till: its code is on the receipt.
            ReceiptScreen.clickNextOrder(),
            ProductScreen.addOrderline("Gift Voucher 20", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.remainingIs("0.00"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt prints the voucher sold with its code",
                trigger: ".pos-receipt .o_loyalty_voucher_receipt:contains('Gift vouchers sold'):contains('20.00')",
            },
        ].flat(),
});
